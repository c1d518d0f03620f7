"""Figures that circulate widely, with a verdict and a source for each.

Each myth names the claim, where it comes from, a verdict (false, misleading,
outdated, true but small, true), why, and what Ménage uses instead. ``keys`` point at
the factor rows (status ``contested`` or ``reference``) that hold the figure with its
source and year, and ``instead_keys`` at the ones used or compared with.
"""

from __future__ import annotations

from dataclasses import dataclass

from menage.i18n import N_, _

VERDICTS = {
    "false": N_("false"),
    "misleading": N_("misleading"),
    "outdated": N_("outdated"),
    "true_but_small": N_("true but small"),
    "true": N_("true"),
}


@dataclass(frozen=True)
class Myth:
    id: str
    claim: str
    origin: str
    verdict: str
    why: str
    instead: str
    keys: tuple[str, ...]
    instead_keys: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "claim": _(self.claim),
            "origin": _(self.origin),
            "verdict": self.verdict,
            "verdict_label": _(VERDICTS[self.verdict]),
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
        verdict="outdated",
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
        instead_keys=("office_terminal_embodied", "email_size_text", "email_size_attachment"),
    ),
    Myth(
        id="email-19g",
        claim=N_("An email with a 1 MB attachment emits 19 g (or 10 g per email)."),
        origin=N_("BioIS for ADEME (2011); Cleanfox's 10 g comes from an ADEME estimate of 2014."),
        verdict="outdated",
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
        verdict="misleading",
        why=N_(
            "Built on a misread of Berners-Lee's figures. The network and server energy of a "
            "short mail is close to zero. ADEME's model puts most of a mail's footprint in the "
            "seconds spent on a device, counted as a share of making and powering it; not "
            "writing a 'thanks' does not make the device last longer, so little is saved."
        ),
        instead=N_(
            "Count the device time as ADEME does (about 1.8 g per mail), and know that it is "
            "an allocation: the saving is real only if devices are used less or kept longer."
        ),
        keys=("email_contested_ovo_1g",),
        instead_keys=("office_terminal_embodied",),
    ),
    Myth(
        id="streaming-3-2kg",
        claim=N_("One hour of online video emits 3.2 kg of CO2."),
        origin=N_("The Shift Project (2019), widely relayed by the press."),
        verdict="false",
        why=N_(
            "A bit/byte conversion error. The Shift Project corrected it to about 0.4 kg in "
            "June 2020; the IEA found it up to 90 times too high and puts it at 36 g (world, "
            "electricity only); the Carbon Trust at 55 g in Europe (2021)."
        ),
        instead=N_(
            "ADEME's model: about 67 g for an hour of HD video in France, mostly the viewing "
            "device."
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
        origin=N_(
            "Blogs and magazines, with no traceable method. Per-GB figures this high belong "
            "to network transmission in the early 2000s (Aslan et al. 2018 review how those "
            "estimates fell, halving about every two years): a transfer, not storage."
        ),
        verdict="false",
        why=N_(
            "Two orders of magnitude above what the storage equipment draws: ADEME's model "
            "gives about 0.03 kWh per GB and per copy, Cloud Carbon Footprint less."
        ),
        instead=N_(
            "About 0.1 kWh and 50 g of CO2e per GB and per year in a French data centre, "
            "counting three copies and the manufacturing of the disks (low confidence: "
            "between 1.5 and 6 copies, storage parameters from 2011)."
        ),
        keys=("network_kwh_aslan_2015",),
        instead_keys=("storage_cloud_kwh_per_copy", "storage_cloud_embodied_per_copy"),
    ),
    Myth(
        id="storage-0-235g",
        claim=N_("Storing 1 GB for a year emits 0.235 g (Impact CO2 tile)."),
        origin=N_("ADEME's Impact CO2 site, 'Stocker un Go de donnée pendant 1 an' (2025)."),
        verdict="misleading",
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
        verdict="outdated",
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
        verdict="misleading",
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
        verdict="misleading",
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
        verdict="misleading",
        why=N_(
            "Deleting 10 GB from a mailbox is worth about 0.5 kgCO2e a year, and that is an "
            "allocated share: the disks keep running, so the saving becomes real only when "
            "less storage gets bought. Keeping a smartphone one more year avoids about 32 "
            "kgCO2e. ADEME's January 2025 update (2022 data, data centres abroad now counted) "
            "puts digital at 4.4 % of France's footprint: devices 50 %, data centres 46 %, "
            "networks 4 % (it was 2.5 %, with devices 79 %, on 2020 data). Per person, keeping "
            "devices longer is still the largest lever."
        ),
        instead=N_(
            "Clean up so that devices stay usable longer (a phone that is not full does not "
            "get replaced), and count the cleanup as awareness, not as the saving itself."
        ),
        keys=("fr_digital_share_carbon_2022", "fr_digital_share_carbon_2020"),
        instead_keys=(
            "fr_digital_devices_share_2022",
            "fr_digital_dc_share_2022",
            "device_phone_embodied",
            "storage_cloud_embodied_per_copy",
        ),
    ),
    Myth(
        id="digital-4pc-aviation",
        claim=N_("Digital is 4 % of the world's greenhouse-gas emissions, like aviation."),
        origin=N_(
            "The Shift Project, Lean ICT (2019: 3.7 % in 2018), repeated in cleanup-week documents."
        ),
        verdict="misleading",
        why=N_(
            "The top of the published range: estimates go from about 1.5 % to 4 % depending "
            "on what is counted. The comparison with aviation hides where the footprint is: "
            "mostly in making devices, not in flying bytes."
        ),
        instead=N_(
            "For France, ADEME's 2025 figure: 4.4 % of the national footprint (2022 data), "
            "half of it devices."
        ),
        keys=("digital_world_ghg_contested",),
        instead_keys=("fr_digital_share_carbon_2022",),
    ),
    Myth(
        id="internet-electricity",
        claim=N_("The internet uses 7 to 10 % of the world's electricity."),
        origin=N_("Cleanup-week documents and the press, without a traceable method."),
        verdict="false",
        why=N_(
            "The IEA puts data centres at about 415 TWh in 2024, 1.5 % of the world's "
            "electricity; networks add less than that. No current source supports 7 to 10 %."
        ),
        instead=N_("Data centres: about 1.5 % of world electricity in 2024 (IEA), growing fast."),
        keys=("internet_electricity_contested",),
        instead_keys=("world_dc_electricity_share_2024",),
    ),
    Myth(
        id="phone-manufacturing",
        claim=N_("90 % of a phone's footprint is its manufacturing."),
        origin=N_("ADEME and cleanup campaigns."),
        verdict="true",
        why=N_(
            "ADEME's model: making a smartphone is about 80 kgCO2e, while its electricity over "
            "2.5 years is about 12 kWh, under 1 kgCO2e in France and about 6 kg on the world's "
            "average mix: manufacturing is 93 % to 99 % of the total."
        ),
        instead=N_(
            "Keep phones longer, buy refurbished: a refurbished phone avoids about 25 kgCO2e "
            "a year."
        ),
        keys=(),
        instead_keys=(
            "device_phone_embodied",
            "device_phone_power_w",
            "secondlife_phone_kgco2e_per_year",
        ),
    ),
)
