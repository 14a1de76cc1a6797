"""The web page (index.html, app.js, style.css) and its offline world basemap."""
