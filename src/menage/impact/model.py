"""The impact model: plain arithmetic over the factors, with ranges carried through.

Each function returns an :class:`~menage.impact.values.Impact` for one activity. Low
results use every low factor and high results every high one, so a range is the
widest honest spread of the sources, not a statistical interval. Use-phase
electricity follows ``region`` (France by default); manufacturing does not.

The email and streaming formulas re-implement ADEME's Impact CO2 model
(``@incubateur-ademe/publicodes-acv-numerique`` 2.1.0) with its parameters; the
tests check that the central results equal the model's own for its defaults.
The model counts 1 Go = 1024 Mo, so its per-"GB" factors are read here per GiB.
"""

from __future__ import annotations

from menage.impact.factors import FactorTable, factors
from menage.impact.values import Impact, Range

REGIONS = ("france", "europe", "world")
DEFAULT_REGION = "france"
NETWORKS = ("fixed", "mobile")
QUALITIES = ("sd", "hd", "4k")
DEVICES = ("smartphone", "tablet", "laptop", "desktop", "monitor", "printer", "tv", "server")

GIB = 2**30
MIB = 2**20
GB = 10**9

#: every key the model reads; loading the factors fails early if one is missing
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
    "email_terminal_embodied",
    "email_terminal_kwh",
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
    *(f"streaming_gib_per_hour_{q}" for q in QUALITIES),
    "ai_text_kwh",
    "ai_text_gco2e",
    "ai_text_water_ml",
    "ai_image_kwh",
    *(
        f"device_{d}_{part}"
        for d in DEVICES
        for part in ("fabrication", "other_phases", "lifespan")
    ),
)


class Model:
    """The formulas, bound to one factor table (the shipped one by default)."""

    def __init__(self, table: FactorTable | None = None) -> None:
        self.table = table if table is not None else factors()

    def r(self, key: str) -> Range:
        factor = self.table[key]
        return Range(factor.low, factor.central, factor.high)

    def per_unit_of(self, key: str, n_bytes: float) -> float:
        """``n_bytes`` in the size unit the factor is expressed per (GiB or GB)."""
        unit = self.table[key].unit
        if "/GiB" in unit:
            return n_bytes / GIB
        if "/GB" in unit:
            return n_bytes / GB
        raise ValueError(f"{key} is not a per-size factor ({unit})")

    def grid(self, region: str) -> Range:
        """Electricity carbon intensity in gCO2e/kWh."""
        return self.r(f"elec_{_region(region)}")

    # -- storage -----------------------------------------------------------------

    def _cloud(
        self,
        activity: str,
        size: Range,
        unit: str,
        years: float,
        region: str,
        extra_sources: tuple[str, ...] = (),
    ) -> Impact:
        gib_years = size * (years / GIB)
        copies = self.r("storage_cloud_replication")
        kwh = self.r("storage_cloud_kwh_per_copy") * copies * gib_years
        grams = self.r("storage_cloud_embodied_per_copy") * copies * gib_years
        grams = grams + kwh * self.grid(region)
        return Impact(
            activity=activity,
            quantity=size.central,
            unit=unit,
            kwh=kwh,
            kgco2e=grams * 0.001,
            water_l=kwh * self.r("dc_water_per_kwh"),
            sources=(
                *extra_sources,
                "storage_cloud_embodied_per_copy",
                "storage_cloud_kwh_per_copy",
                "storage_cloud_replication",
                f"elec_{_region(region)}",
                "dc_water_per_kwh",
            ),
        )

    def storage_cloud(
        self, n_bytes: float, years: float = 1.0, region: str = DEFAULT_REGION
    ) -> Impact:
        """Keeping ``n_bytes`` in a data centre (with its backup copies) for ``years``."""
        return self._cloud("storage_cloud", Range.exact(n_bytes), "bytes", years, region)

    def storage_local(
        self, n_bytes: float, years: float = 1.0, region: str = DEFAULT_REGION
    ) -> Impact:
        """The share of a local disk's footprint that ``n_bytes`` take for ``years``."""
        gb_years = self.per_unit_of("storage_local_embodied", n_bytes) * years
        kwh = self.r("storage_local_kwh") * gb_years
        grams = self.r("storage_local_embodied") * gb_years + kwh * self.grid(region)
        return Impact(
            activity="storage_local",
            quantity=n_bytes,
            unit="bytes",
            kwh=kwh,
            kgco2e=grams * 0.001,
            water_l=None,
            sources=("storage_local_embodied", "storage_local_kwh", f"elec_{_region(region)}"),
        )

    # -- mail --------------------------------------------------------------------

    def mailbox(self, n_bytes: float, years: float = 1.0, region: str = DEFAULT_REGION) -> Impact:
        """Keeping a mailbox of ``n_bytes`` (the mailbox's side only) for ``years``."""
        return self._cloud("mailbox", Range.exact(n_bytes), "bytes", years, region)

    def mail_kept(
        self,
        count: int,
        size_bytes: float | None = None,
        years: float = 1.0,
        region: str = DEFAULT_REGION,
    ) -> Impact:
        """Keeping ``count`` mails of ``size_bytes`` on average (sourced default) for ``years``."""
        if size_bytes is None:
            size = self.r("email_size_kept") * MIB
            extra: tuple[str, ...] = ("email_size_kept",)
        else:
            size, extra = Range.exact(size_bytes), ()
        impact = self._cloud("mail_kept", size * count, "mails", years, region, extra)
        return _with_quantity(impact, count)

    def mail_sent(
        self,
        count: int,
        attachment: bool = False,
        region: str = DEFAULT_REGION,
        size_bytes: float | None = None,
    ) -> Impact:
        """Sending ``count`` mails to one recipient, as ADEME counts it: writing, reading,
        sending, and keeping them 10 years on both sides."""
        region = _region(region)
        size_key = "email_size_attachment" if attachment else "email_size_text"
        if size_bytes is None:
            gib = self.r(size_key) * (MIB / GIB)
        else:
            gib = Range.exact(size_bytes / GIB)
        grid = self.grid(region)
        years = self.r("email_storage_years")
        copies = self.r("storage_cloud_replication") * 2.0  # sender's and recipient's
        terminal_kwh = self.r("email_terminal_kwh")
        server_kwh = self.r("email_server_kwh")
        storage_kwh = self.r("storage_cloud_kwh_per_copy") * copies * years * gib
        transfers = self.r("email_backup_transfers") + 2.0  # sending and receiving
        network_kwh = self.r("network_kwh") * transfers * gib * (GIB / GB)
        kwh = terminal_kwh + server_kwh + storage_kwh
        grams = (
            self.r("email_terminal_embodied")
            + self.r("email_server_embodied")
            + (terminal_kwh + server_kwh + storage_kwh) * grid
            + self.r(f"network_fixed_{region}") * gib * 2.0
            + self.r(f"network_fixed_excl_box_{region}") * self.r("email_backup_transfers") * gib
            + self.r("storage_cloud_embodied_per_copy") * copies * years * gib
        )
        used = () if size_bytes is not None else (size_key,)
        return Impact(
            activity="mail_sent_attachment" if attachment else "mail_sent",
            quantity=count,
            unit="mails",
            kwh=(kwh + network_kwh) * count,
            kgco2e=grams * (count * 0.001),
            water_l=(server_kwh + storage_kwh) * self.r("dc_water_per_kwh") * count,
            sources=(
                *used,
                "email_terminal_embodied",
                "email_terminal_kwh",
                "email_server_embodied",
                "email_server_kwh",
                f"network_fixed_{region}",
                f"network_fixed_excl_box_{region}",
                "email_backup_transfers",
                "email_storage_years",
                "storage_cloud_embodied_per_copy",
                "storage_cloud_kwh_per_copy",
                "storage_cloud_replication",
                "network_kwh",
                f"elec_{region}",
                "dc_water_per_kwh",
            ),
        )

    # -- network and video -------------------------------------------------------

    def transfer(
        self, n_bytes: float, network: str = "fixed", region: str = DEFAULT_REGION
    ) -> Impact:
        """Sending or receiving ``n_bytes`` over a fixed or mobile network."""
        region = _region(region)
        if network not in NETWORKS:
            raise ValueError(f"unknown network {network!r}")
        key = f"network_{network}_{region}"
        grams = self.r(key) * self.per_unit_of(key, n_bytes)
        kwh = self.r("network_kwh") * self.per_unit_of("network_kwh", n_bytes)
        return Impact(
            activity=f"transfer_{network}",
            quantity=n_bytes,
            unit="bytes",
            kwh=kwh,
            kgco2e=grams * 0.001,
            water_l=None,
            sources=(key, "network_kwh"),
        )

    def streaming(
        self,
        hours: float,
        quality: str = "hd",
        region: str = DEFAULT_REGION,
        network: str = "fixed",
    ) -> Impact:
        """Watching ``hours`` of video on ADEME's device mix (70 % on a TV)."""
        region = _region(region)
        if quality not in QUALITIES:
            raise ValueError(f"unknown quality {quality!r}")
        gib = self.r(f"streaming_gib_per_hour_{quality}")
        grid = self.grid(region)
        net_key = f"network_{network}_{region}"
        terminal_kwh = self.r("streaming_terminal_kwh")
        dc_kwh = self.r("dc_kwh_per_gib_sent") * gib
        network_kwh = self.r("network_kwh") * gib * (GIB / GB)
        grams = (
            self.r("streaming_terminal_embodied")
            + terminal_kwh * grid
            + self.r(net_key) * gib
            + self.r("streaming_dc_embodied")
            + dc_kwh * grid
        )
        return Impact(
            activity=f"streaming_{quality}",
            quantity=hours,
            unit="hours",
            kwh=(terminal_kwh + dc_kwh + network_kwh) * hours,
            kgco2e=grams * (hours * 0.001),
            water_l=dc_kwh * self.r("dc_water_per_kwh") * hours,
            sources=(
                f"streaming_gib_per_hour_{quality}",
                "streaming_terminal_embodied",
                "streaming_terminal_kwh",
                net_key,
                "streaming_dc_embodied",
                "dc_kwh_per_gib_sent",
                "network_kwh",
                f"elec_{region}",
                "dc_water_per_kwh",
            ),
        )

    # -- AI ----------------------------------------------------------------------

    def ai_text(self, count: int) -> Impact:
        """``count`` chatbot requests (the provider's data centre: --region does not apply)."""
        return Impact(
            activity="ai_text",
            quantity=count,
            unit="requests",
            kwh=self.r("ai_text_kwh") * count,
            kgco2e=self.r("ai_text_gco2e") * (count * 0.001),
            water_l=self.r("ai_text_water_ml") * (count * 0.001),
            sources=("ai_text_kwh", "ai_text_gco2e", "ai_text_water_ml"),
        )

    def ai_image(self, count: int) -> Impact:
        """``count`` generated images (electricity only, on the world mix)."""
        kwh = self.r("ai_image_kwh") * count
        return Impact(
            activity="ai_image",
            quantity=count,
            unit="images",
            kwh=kwh,
            kgco2e=kwh * self.grid("world") * 0.001,
            water_l=None,
            sources=("ai_image_kwh", "elec_world"),
        )

    # -- devices -----------------------------------------------------------------

    def embodied(self, device: str) -> Range:
        """Manufacturing, distribution and end of life of one device, in kgCO2e."""
        device = _device(device)
        return self.r(f"device_{device}_fabrication") + self.r(f"device_{device}_other_phases")

    def device_manufacturing(self, device: str, count: int = 1) -> Impact:
        """Making (and shipping, and disposing of) ``count`` new devices."""
        device = _device(device)
        return Impact(
            activity=f"make_{device}",
            quantity=count,
            unit="devices",
            kwh=None,
            kgco2e=self.embodied(device) * count,
            water_l=None,
            sources=(f"device_{device}_fabrication", f"device_{device}_other_phases"),
        )

    def device_life_extension(self, device: str, years: float) -> Impact:
        """What keeping a device ``years`` longer avoids: that many yearly shares of a
        new one's manufacturing (its footprint divided by its usual lifespan)."""
        device = _device(device)
        lifespan = self.table[f"device_{device}_lifespan"].central
        return Impact(
            activity=f"keep_{device}",
            quantity=years,
            unit="years",
            kwh=None,
            kgco2e=self.embodied(device) * (years / lifespan),
            water_l=None,
            sources=(
                f"device_{device}_fabrication",
                f"device_{device}_other_phases",
                f"device_{device}_lifespan",
            ),
            avoided=True,
        )


def _region(region: str) -> str:
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r} (one of {', '.join(REGIONS)})")
    return region


def _device(device: str) -> str:
    if device not in DEVICES:
        raise ValueError(f"unknown device {device!r} (one of {', '.join(DEVICES)})")
    return device


def _with_quantity(impact: Impact, quantity: float) -> Impact:
    from dataclasses import replace

    return replace(impact, quantity=quantity)
