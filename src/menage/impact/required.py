"""Every factor key the model reads: loading the factors fails early if one is missing.

Kept apart from the model so that the factors loader can check a file without
importing the formulas (and the formulas can import the loader).
"""

from __future__ import annotations

from menage.impact.devices import IMPACT_DEVICES

REGIONS = ("france", "europe", "world")
NETWORKS = ("fixed", "mobile")
QUALITIES = ("sd", "hd", "4k")
CALL_QUALITIES = ("audio", "sd", "hd", "4k")

REQUIRED_KEYS: tuple[str, ...] = (
    *(f"elec_{r}" for r in REGIONS),
    "storage_cloud_embodied_per_copy",
    "storage_cloud_kwh_per_copy",
    "storage_cloud_replication",
    "dc_water_per_kwh",
    "storage_local_embodied",
    "storage_local_kwh",
    "email_size_text",
    "email_size_attachment",
    "email_size_kept",
    "email_storage_years",
    "email_writing_minutes",
    "email_reading_minutes",
    "office_terminal_embodied",
    "office_terminal_kwh",
    "email_server_embodied",
    "email_server_kwh",
    "email_backup_transfers",
    *(f"network_{n}_{r}" for n in NETWORKS for r in REGIONS),
    *(f"network_fixed_excl_box_{r}" for r in REGIONS),
    "network_kwh",
    "streaming_terminal_embodied",
    "streaming_terminal_kwh",
    "streaming_dc_embodied",
    "dc_kwh_per_gib_sent",
    "dc_embodied_per_gib_sent",
    *(f"streaming_gib_per_hour_{q}" for q in QUALITIES),
    "video_call_gib_per_hour_audio",
    "video_call_terminal_embodied",
    "video_call_terminal_kwh",
    "web_search_minutes",
    "web_search_gib",
    "web_search_dc_embodied",
    "web_search_dc_kwh",
    "ai_text_kwh",
    "ai_text_gco2e",
    "ai_text_water_ml",
    "ai_image_kwh",
    *(
        f"device_{d}_{part}"
        for d in IMPACT_DEVICES
        for part in ("embodied", "lifespan", "power_w", "hours_per_day")
    ),
    "secondlife_phone_kgco2e_per_year",
    "secondlife_phone_raw_kg_per_year",
    "secondlife_laptop_kgco2e_per_year",
    "secondlife_laptop_raw_kg_per_year",
    "equiv_car_km",
    "equiv_tgv_km",
    "equiv_beef_meal",
    "equiv_vegetarian_meal",
)
