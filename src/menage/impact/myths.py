"""Figures that circulate widely and should not be repeated, and why.

Each myth names the claim, where it comes from, what is wrong with it and what Ménage
uses instead. ``keys`` point at the factor rows (status ``contested`` or ``reference``)
that hold the figure with its source and year, and ``instead`` at the ones used.
"""

from __future__ import annotations

from dataclasses import dataclass

from menage.i18n import N_, _


@dataclass(frozen=True)
class Myth:
    id: str
    claim: str
    origin: str
    why: str
    instead: str
    keys: tuple[str, ...]
    instead_keys: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "claim": _(self.claim),
            "origin": _(self.origin),
            "why": _(self.why),
            "instead": _(self.instead),
            "keys": list(self.keys),
            "instead_keys": list(self.instead_keys),
        }


MYTHS: tuple[Myth, ...] = (
    Myth(
        id="email-4g",
        claim=N_("An email emits 4 g of CO2 (35 g with an attachment)."),
        origin=N_(
            "Mike Berners-Lee, How Bad Are Bananas? (2010), repeated in ADEME's 2021 guide "
            "'La face cachée du numérique'."
        ),
        why=N_(
            "A 2010 back-of-the-envelope estimate. The author's 2020 edition gives 0.03 g "
            "(spam caught by a filter) to 50 g (long mail with an attachment), 0.3 g for a "
            "typical one, and says the figure was over-used."
        ),
        instead=N_(
            "ADEME's current model: 1.9 g for a mail without attachment, 2.9 g with 1 MB, "
            "counting writing and reading time and 10 years of storage on both sides."
        ),
        keys=("email_contested_4g",),
        instead_keys=("email_terminal_embodied", "email_size_text", "email_size_attachment"),
    ),
    Myth(
        id="email-19g",
        claim=N_("An email with a 1 MB attachment emits 19 g (or 10 g per email)."),
        origin=N_("BioIS for ADEME (2011); Cleanfox's 10 g comes from an ADEME estimate of 2014."),
        why=N_(
            "Computed with network and data-centre intensities from before 2015; the same "
            "ADEME model, updated, now gives about 3 g."
        ),
        instead=N_("ADEME's current model: 2.9 g for a mail with 1 MB."),
        keys=("email_contested_19g_1mb", "email_contested_cleanfox_10g"),
        instead_keys=("email_size_attachment",),
    ),
    Myth(
        id="thank-you-email",
        claim=N_("One fewer 'thank you' email a day per adult would save 16,433 t of CO2."),
        origin=N_("OVO Energy press release (2019)."),
        why=N_(
            "Built on a misread of Berners-Lee's figures: the extra network and server energy "
            "of a tiny mail is close to zero, and most of a mail's footprint is the time spent "
            "on a device that is on anyway."
        ),
        instead=N_("Count the device time, as ADEME does, and keep things in proportion."),
        keys=("email_contested_ovo_1g",),
        instead_keys=("email_terminal_embodied",),
    ),
    Myth(
        id="streaming-3-2kg",
        claim=N_("One hour of online video emits 3.2 kg of CO2."),
        origin=N_("The Shift Project (2019), widely relayed by the press."),
        why=N_(
            "A bit/byte conversion error. The Shift Project corrected it to about 0.4 kg in "
            "June 2020; the IEA found it up to 90 times too high and puts it at 36 g (world, "
            "electricity only); the Carbon Trust at 55 g in Europe (2021)."
        ),
        instead=N_(
            "ADEME's model: 68 g for an hour of HD video in France, mostly the viewing device."
        ),
        keys=("streaming_contested_shift_2019",),
        instead_keys=("streaming_iea_2020", "streaming_carbon_trust_2021"),
    ),
    Myth(
        id="cloud-7kwh",
        claim=N_(
            "Storing 1 GB in the cloud uses 7 kWh a year; 100 GB in the cloud is 0.2 t of "
            "CO2 a year."
        ),
        origin=N_("Blogs and magazines, with no traceable method."),
        why=N_(
            "Two orders of magnitude above what the storage equipment actually draws: ADEME's "
            "model gives about 0.03 kWh per GB and per copy, Cloud Carbon Footprint less."
        ),
        instead=N_(
            "About 0.1 kWh and 50 g of CO2e per GB and per year in a French data centre, "
            "counting three copies and the manufacturing of the disks."
        ),
        keys=(),
        instead_keys=("storage_cloud_kwh_per_copy", "storage_cloud_embodied_per_copy"),
    ),
    Myth(
        id="storage-0-235g",
        claim=N_("Storing 1 GB for a year emits 0.235 g (Impact CO2 tile)."),
        origin=N_("ADEME's Impact CO2 site, 'Stocker un Go de donnée pendant 1 an' (2025)."),
        why=N_(
            "Too low by about 75 times: the tile reuses the data-centre share of transferring "
            "1 GB, not an allocation of storage equipment over a year."
        ),
        instead=N_("The storage allocation derived from the same ADEME model's parameters."),
        keys=("storage_contested_impactco2_tile",),
        instead_keys=("storage_cloud_embodied_per_copy",),
    ),
    Myth(
        id="ai-3wh",
        claim=N_("A ChatGPT request uses 3 Wh, ten times a web search."),
        origin=N_("Alex de Vries, Joule (2023)."),
        why=N_(
            "Assumes every server runs at full power around the clock. Newer estimates are "
            "0.24 to 0.34 Wh for a typical request (Epoch AI, Google, OpenAI), more for very "
            "long inputs."
        ),
        instead=N_("0.3 Wh (0.24 to 2.5 Wh) and 1.14 gCO2e per request, life cycle (Mistral)."),
        keys=("ai_contested_devries_kwh",),
        instead_keys=("ai_text_kwh", "ai_text_gco2e"),
    ),
    Myth(
        id="ai-0-03g",
        claim=N_("An AI prompt emits only 0.03 g of CO2."),
        origin=N_("Google (2025), for a median Gemini text prompt."),
        why=N_(
            "Market-based accounting (renewable-energy contracts) and on-site water only; "
            "not independently checked. Shown as the low end of the range, not the centre."
        ),
        instead=N_("Mistral's peer-reviewed life-cycle figure, 1.14 g, as the central value."),
        keys=("ai_contested_gemini_gco2e",),
        instead_keys=("ai_text_gco2e",),
    ),
    Myth(
        id="phone-water",
        claim=N_("Making a smartphone takes 75,000 litres of water."),
        origin=N_("ADEME's Impact CO2 model (water of manufacturing)."),
        why=N_(
            "These water figures do not match negaOctet's own as Boavizta publishes them, and "
            "ADEME flags its end-of-life water data as unreliable."
        ),
        instead=N_(
            "Ménage shows water only where sources allow (AI requests, data-centre cooling), "
            "labelled indicative."
        ),
        keys=("water_contested_smartphone",),
        instead_keys=("ai_text_water_ml", "dc_water_per_kwh"),
    ),
    Myth(
        id="delete-to-save",
        claim=N_("Deleting your old emails and files is the best thing you can do."),
        origin=N_("Cleanup campaigns and their press."),
        why=N_(
            "Deleting 10 GB from a mailbox saves about 0.5 kgCO2e a year; keeping a "
            "smartphone one more year avoids about 32 kgCO2e. Devices make up 79 % of the "
            "digital carbon footprint in France, mostly from their manufacturing."
        ),
        instead=N_(
            "Clean up so that devices stay usable longer (a phone that is not full does not "
            "get replaced), and count the cleanup as awareness, not as the saving itself."
        ),
        keys=("fr_digital_share_carbon_2020",),
        instead_keys=("device_smartphone_fabrication", "storage_cloud_embodied_per_copy"),
    ),
)
