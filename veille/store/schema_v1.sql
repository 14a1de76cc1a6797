-- Veille store, schema version 1.
-- One row per article (id = content hash), per source of an article, per event (a happening,
-- after deduplication), per mention (one extracted event in one article, with its evidence span),
-- and dictionaries of actors and places. Applied once by veille.store.migrations.

CREATE TABLE IF NOT EXISTS articles (
    id          VARCHAR PRIMARY KEY,     -- content hash of the clean text
    title       VARCHAR,
    url         VARCHAR,
    published   VARCHAR,                 -- ISO date or datetime as ingested
    modified    VARCHAR,
    language    VARCHAR,
    text        VARCHAR NOT NULL,
    keywords    VARCHAR,                 -- JSON array
    stored_at   TIMESTAMP NOT NULL
);

-- The same content can arrive from several places: one article row, many sources.
CREATE TABLE IF NOT EXISTS article_sources (
    article_id  VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    url         VARCHAR,
    added_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, source)
);

CREATE TABLE IF NOT EXISTS actors (
    id          VARCHAR PRIMARY KEY,     -- hash of (name, country, sector)
    name        VARCHAR,
    country     VARCHAR,
    sector      VARCHAR,
    wikidata    VARCHAR
);

CREATE TABLE IF NOT EXISTS places (
    id          VARCHAR PRIMARY KEY,     -- "gn:<geonameid>" or a hash of name and coordinates
    name        VARCHAR NOT NULL,
    geonameid   BIGINT,
    lat         DOUBLE,
    lon         DOUBLE,
    country     VARCHAR,
    admin1      VARCHAR,
    precision   VARCHAR,
    feature     VARCHAR
);

-- One row per happening. Actor and place fields are copied from the dictionaries so that
-- filters read one table; they are recomputed from all mentions whenever a mention joins.
CREATE TABLE IF NOT EXISTS events (
    id              VARCHAR PRIMARY KEY,
    type            VARCHAR NOT NULL,
    mode            VARCHAR,
    actor_id        VARCHAR,
    actor_name      VARCHAR,
    actor_country   VARCHAR,
    actor_sector    VARCHAR,
    target_id       VARCHAR,
    target_name     VARCHAR,
    target_country  VARCHAR,
    target_sector   VARCHAR,
    date            VARCHAR,             -- "2021-04-07", "2021-04" or "2021"
    date_precision  VARCHAR,
    date_start      DATE,                -- first day covered by `date`
    date_end        DATE,                -- last day covered by `date`
    sort_date       DATE NOT NULL,       -- date_start, or 0001-01-01 when unknown (keyset paging)
    place_id        VARCHAR,
    place_name      VARCHAR,
    geonameid       BIGINT,
    lat             DOUBLE,
    lon             DOUBLE,
    place_country   VARCHAR,
    admin1          VARCHAR,
    place_precision VARCHAR,
    background      BOOLEAN NOT NULL,
    negated         BOOLEAN NOT NULL,
    hypothetical    BOOLEAN NOT NULL,
    confidence      DOUBLE NOT NULL,
    trigger         VARCHAR,
    cameo           VARCHAR,
    acled           VARCHAR,
    evidence        VARCHAR NOT NULL,    -- the representative sentence
    evidence_article VARCHAR NOT NULL,   -- the article it comes from
    evidence_start  INTEGER NOT NULL,    -- its offsets in that article's text
    evidence_end    INTEGER NOT NULL,
    search_text     VARCHAR NOT NULL,    -- lower-cased evidence of every mention, for text search
    n_mentions      INTEGER NOT NULL,
    n_articles      INTEGER NOT NULL,
    n_sources       INTEGER NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

-- One extracted event in one article: the evidence span and the event as extracted (JSON).
CREATE TABLE IF NOT EXISTS mentions (
    id          VARCHAR PRIMARY KEY,     -- hash of (article id, position, span, type)
    event_id    VARCHAR NOT NULL,
    article_id  VARCHAR NOT NULL,
    position    INTEGER NOT NULL,        -- index of the event in the pipeline's output
    sentence    VARCHAR NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL,
    record      VARCHAR NOT NULL         -- the extracted Event, JSON
);

CREATE INDEX IF NOT EXISTS mentions_event_idx ON mentions (event_id);
CREATE INDEX IF NOT EXISTS mentions_article_idx ON mentions (article_id);
CREATE INDEX IF NOT EXISTS article_sources_article_idx ON article_sources (article_id);
