"""The words inventories use: column headers (people's spreadsheets, GLPI exports) and
device types, each mapped to Ménage's field names and device codes. Compared without
case or accents (:func:`menage.fleet.inventory._fold`)."""

from __future__ import annotations

# headers people and GLPI use for each field, compared without case or accents
HEADERS: dict[str, tuple[str, ...]] = {
    "type": ("type", "device type", "type d'equipement", "categorie"),
    "model": ("model", "modele", "nom du modele"),
    "purchase_date": ("purchase_date", "purchase date", "date of purchase", "date d'achat"),
    "lifespan_years": (
        "lifespan_years",
        "lifespan",
        "expected life",
        "duree de vie",
        "duree de vie (annees)",
    ),
    "service": ("service", "location", "lieu", "direction", "department"),
    "serial": ("serial", "serial number", "numero de serie"),
    "quantity": ("quantity", "quantite", "nombre"),
}
# GLPI's computer types (French and English defaults) and common words, to our codes
TYPE_WORDS: dict[str, str] = {
    "portable": "laptop",
    "ordinateur portable": "laptop",
    "notebook": "laptop",
    "ultraportable": "laptop",
    "desktop": "desktop",
    "ordinateur de bureau": "desktop",
    "ordinateur fixe": "desktop",
    "unite centrale": "desktop",
    "tour": "desktop",
    "mini tour": "desktop",
    "tower": "desktop",
    "all-in-one": "desktop",
    "station de travail": "desktop",
    "workstation": "desktop",
    "serveur": "server",
    "ecran": "monitor",
    "moniteur": "monitor",
    "telephone": "phone",
    "smartphone": "phone",
    "mobile": "phone",
    "tablette": "tablet",
    "imprimante": "printer",
    "videoprojecteur": "projector",
    "television": "tv",
    "televiseur": "tv",
}
