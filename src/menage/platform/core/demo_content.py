"""What the demo is made of: a city's cleanup week and a school district, as plain data.

Modelled on real programmes; names are invented. :mod:`menage.platform.core.demo` turns
it into rows. Days count from the Monday the week starts on.
"""

from __future__ import annotations

TOWN = "Montclair"
CITY_SLUG = "ville-de-montclair"

# slug: (name, kind, parent slug, description)
ORGANISATIONS = {
    CITY_SLUG: (
        "Ville de Montclair",
        "city",
        None,
        "La ville organise chaque année sa semaine du nettoyage numérique.",
    ),
    "repair-cafe-montclair": (
        "Repair Café de Montclair",
        "association",
        None,
        "Des bénévoles réparent avec vous ordinateurs et téléphones.",
    ),
    "connexions-solidaires": (
        "Connexions solidaires",
        "association",
        None,
        "Médiation numérique pour tous les âges.",
    ),
    "reboot-informatique": (
        "ReBoot Informatique",
        "company",
        None,
        "Entreprise d'insertion qui reconditionne les ordinateurs.",
    ),
    "recyclerie-du-val": ("Recyclerie du Val", "association", None, ""),
    "direction-academique-du-val": (
        "Direction académique du Val",
        "school_district",
        None,
        "Les écoles, collèges et lycées du département.",
    ),
    "college-jean-moulin": ("Collège Jean-Moulin", "school", "direction-academique-du-val", ""),
    "lycee-marie-curie": ("Lycée Marie-Curie", "school", "direction-academique-du-val", ""),
    "ecole-des-tilleuls": (
        "École élémentaire des Tilleuls",
        "school",
        "direction-academique-du-val",
        "",
    ),
}

# what the city publishes about itself: colours, and its legal pages' settings
CITY_SETTINGS = {
    "colour": "#1d4f91",
    "website": "https://www.example.org/montclair",
    "data_controller": "Ville de Montclair, représentée par son maire",
    "postal_address": "1 place de l'Hôtel-de-Ville, 45000 Montclair",
    "dpo_contact": "dpo@montclair.example.org",
    "accessibility_contact": "accessibilite@montclair.example.org",
}

# username: (first name, last name, organisation slugs and roles)
PEOPLE = {
    "marie.dupont": ("Marie", "Dupont", [(CITY_SLUG, "manager")]),
    "camille.martin": ("Camille", "Martin", [(CITY_SLUG, "facilitator")]),
    "karim.benali": ("Karim", "Benali", [(CITY_SLUG, "facilitator")]),
    "sophie.leroy": (
        "Sophie",
        "Leroy",
        [("connexions-solidaires", "facilitator"), (CITY_SLUG, "facilitator")],
    ),
    "julien.moreau": (
        "Julien",
        "Moreau",
        [("repair-cafe-montclair", "facilitator"), (CITY_SLUG, "facilitator")],
    ),
    "nadia.haddad": ("Nadia", "Haddad", [("direction-academique-du-val", "manager")]),
    "paul.girard": ("Paul", "Girard", [("college-jean-moulin", "manager")]),
    "lea.bernard": ("Léa", "Bernard", [("lycee-marie-curie", "manager")]),
}

WEEK = {
    "name": "Semaine du nettoyage numérique de Montclair",
    "slug": "montclair-nettoyage-numerique",
    "audience": "Tous les habitants",
    "description": (
        "Cinq jours d'ateliers gratuits dans les maisons de quartier pour faire le "
        "ménage dans son ordinateur, sa boîte mail et son téléphone, comprendre "
        "l'empreinte de l'IA, et donner une seconde vie à ses appareils.\n\n"
        "Trois points de collecte sont ouverts toute la semaine."
    ),
}

# key: (name, address, neighbourhood, accessibility)
VENUES = {
    "tilleuls": (
        "Maison de quartier des Tilleuls",
        "12 rue des Tilleuls, 45000 Montclair",
        "Les Tilleuls",
        "De plain-pied, toilettes accessibles.",
    ),
    "mediatheque": (
        "Médiathèque Louise-Michel",
        "3 place de la République, 45000 Montclair",
        "Centre-ville",
        "Ascenseur, boucle magnétique en salle d'animation.",
    ),
    "gare": (
        "Centre social de la Gare",
        "28 avenue de la Gare, 45000 Montclair",
        "La Gare",
        "Rampe d'accès à l'entrée latérale.",
    ),
    "saint_michel": (
        "Espace Saint-Michel",
        "5 allée Saint-Michel, 45000 Montclair",
        "Saint-Michel",
        "Salle à l'étage sans ascenseur\u00a0: prévenez-nous, "
        "l'atelier se tient alors au rez-de-chaussée.",
    ),
    "mairie": (
        "Hôtel de ville, salle des fêtes",
        "1 place de l'Hôtel-de-Ville, 45000 Montclair",
        "Centre-ville",
        "De plain-pied, ascenseur.",
    ),
}

TOPICS = {
    "computer": (
        "Nettoyer son ordinateur",
        "Doublons, gros fichiers oubliés, corbeille, téléchargements\u00a0: on trie ensemble, sans "
        "rien perdre. Apportez votre ordinateur portable.",
    ),
    "mail": (
        "Mettre sa boîte mail au régime",
        "Se désabonner des lettres d'information, retrouver les pièces jointes lourdes, "
        "vider les vieux messages.",
    ),
    "phone": (
        "Trier son téléphone",
        "Photos en double, rafales, vidéos oubliées, applications inutiles\u00a0: libérer de la "
        "place et prolonger la vie du téléphone.",
    ),
    "ai": (
        "IA et son empreinte",
        "Que consomment les intelligences artificielles génératives\u202f? Une conférence-débat "
        "avec des chiffres sourcés.",
    ),
    "exhibition": (
        "Exposition\u00a0: ce que pèsent nos données",
        "Une exposition pour voir l'invisible\u00a0: centres de données, câbles, appareils.",
    ),
    "evening": (
        "Soirée de clôture\u00a0: ce que nous avons nettoyé ensemble",
        "Les chiffres de la semaine, les appareils collectés, un verre de l'amitié.",
    ),
}

# (day, start, end, topic, kind, venue, facilitators, partners, places)
PROGRAMME = [
    (0, "14:00", "16:00", "computer", "workshop", "tilleuls", ["camille.martin"],
     ["repair-cafe-montclair"], 12),
    (0, "18:00", "19:30", "mail", "workshop", "mediatheque", ["karim.benali"],
     ["connexions-solidaires"], 15),
    (1, "10:00", "11:30", "phone", "workshop", "gare", ["sophie.leroy"],
     ["connexions-solidaires"], 10),
    (1, "17:30", "19:30", "computer", "workshop", "saint_michel", ["julien.moreau"],
     ["repair-cafe-montclair", "reboot-informatique"], 12),
    (2, "14:00", "15:30", "phone", "workshop", "tilleuls", ["camille.martin"], [], 10),
    (2, "18:30", "20:00", "ai", "talk", "mediatheque", ["karim.benali", "sophie.leroy"],
     ["connexions-solidaires"], None),
    (3, "14:00", "15:30", "mail", "workshop", "gare", ["sophie.leroy"],
     ["connexions-solidaires"], 15),
    (3, "09:00", "18:00", "exhibition", "exhibition", "mairie", [], ["recyclerie-du-val"], None),
    (4, "10:00", "12:00", "computer", "workshop", "saint_michel", ["julien.moreau"],
     ["repair-cafe-montclair"], 12),
    (4, "18:30", "21:00", "evening", "evening", "mairie", ["camille.martin", "karim.benali"],
     ["repair-cafe-montclair", "reboot-informatique", "recyclerie-du-val",
      "connexions-solidaires"], 80),
]  # fmt: skip

ITEMS = ["computers", "phones", "tablets", "screens", "cables", "printers"]
# (name, address, neighbourhood, hours, items, position, notes)
POINTS = [
    (
        "Hall de l'hôtel de ville",
        "1 place de l'Hôtel-de-Ville, 45000 Montclair",
        "Centre-ville",
        "lun-ven 8h30-18h",
        ITEMS,
        ("47.902964", "1.909251"),
        "Pensez à effacer vos données avant le dépôt, ou demandez-nous de l'aide.",
    ),
    (
        "Recyclerie du Val",
        "40 rue du Port, 45000 Montclair",
        "La Gare",
        "lun-ven 10h-19h",
        [*ITEMS, "peripherals", "storage"],
        None,
        "Les appareils réparables sont reconditionnés par ReBoot.",
    ),
    (
        "Médiathèque Louise-Michel",
        "3 place de la République, 45000 Montclair",
        "Centre-ville",
        "lun, mer, ven 10h-19h; mar, jeu 14h-19h",
        ["phones", "tablets", "cables"],
        None,
        "",
    ),
]

DISTRICT_WEEK = {
    "name": "Cyber-ménage des écoles du Val",
    "slug": "cyber-menage-ecoles-du-val",
    "audience": "Élèves, enseignants, agents",
    "description": "Chaque école référence son opération, la mène pendant la semaine et "
    "fait remonter ses mesures.",
}
# (school slug, name, slug, kind, visibility): public ones were approved by the district,
# the private one waits for Nadia Haddad's approval
OPERATIONS = [
    ("college-jean-moulin", "Nettoyons nos données — Collège Jean-Moulin",
     "college-jean-moulin-donnees", "data", "public"),
    ("lycee-marie-curie", "Donnons une seconde vie à nos équipements — Lycée Marie-Curie",
     "lycee-marie-curie-seconde-vie", "reuse", "public"),
    ("ecole-des-tilleuls", "Nettoyons nos données — École des Tilleuls",
     "ecole-des-tilleuls-donnees", "data", "private"),
]  # fmt: skip

# (organisation slug, title, theme, visibility, description, url or None for the PDF kit)
RESOURCES = [
    ("direction-academique-du-val", "Kit «\u00a0Nettoyons nos données\u00a0» pour les classes",
     "organising", "public", "Déroulé d'une séance d'une heure, fiche élève et affiche.", None),
    (CITY_SLUG, "Guide\u00a0: la face cachée du numérique (ADEME)", "data", "public",
     "Le guide de l'ADEME pour réduire l'impact de ses usages numériques.",
     "https://librairie.ademe.fr/"),
    (CITY_SLUG, "Fiches d'animation des ateliers de quartier", "organising", "shared",
     "Pour les animateurs\u00a0: déroulé, matériel, questions fréquentes.",
     "https://institutnr.org/"),
]  # fmt: skip
