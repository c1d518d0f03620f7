"""The impact model: plain arithmetic over the factors, with ranges carried through.

Each method returns an :class:`~menage.impact.values.Impact` for one activity. Low
results use every low factor and high results every high one (a division pairs low
with high), so a range is the widest honest spread of the sources, not a statistical
interval. Use-phase electricity follows ``region`` (France by default); manufacturing
does not.

The mail, video, call, search and file formulas re-implement ADEME's Impact CO2 model
(``publicodes-acv-numerique`` 2.2.0) with its parameters; the tests check the central
results against the model's own for its defaults. The model counts 1 Go = 1024 Mo, so
its per-"GB" factors are read here per GiB.
"""

from __future__ import annotations

from dataclasses import replace

from menage.impact._base import DEFAULT_REGION, GIB, MIB, check_count, check_region
from menage.impact.lifecycle import LifecycleMixin
from menage.impact.usages import UsagesMixin
from menage.impact.values import Impact, Range

__all__ = ["DEFAULT_REGION", "Model"]


class Model(UsagesMixin, LifecycleMixin):
    """The formulas, bound to one factor table (the shipped one by default)."""

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
                f"elec_{region}",
                "dc_water_per_kwh",
            ),
        )

    def storage_cloud(
        self, n_bytes: float, years: float = 1.0, region: str = DEFAULT_REGION
    ) -> Impact:
        """Keeping ``n_bytes`` in a data centre (with its backup copies) for ``years``."""
        check_count(n_bytes, "n_bytes")
        return self._cloud("storage_cloud", Range.exact(n_bytes), "bytes", years, region)

    def storage_local(
        self, n_bytes: float, years: float = 1.0, region: str = DEFAULT_REGION
    ) -> Impact:
        """The share of a local disk's footprint that ``n_bytes`` take for ``years``."""
        check_count(n_bytes, "n_bytes")
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
            sources=("storage_local_embodied", "storage_local_kwh", f"elec_{region}"),
        )

    # -- mail --------------------------------------------------------------------

    def mailbox(self, n_bytes: float, years: float = 1.0, region: str = DEFAULT_REGION) -> Impact:
        """Keeping a mailbox of ``n_bytes`` (the mailbox's side only) for ``years``."""
        check_count(n_bytes, "n_bytes")
        return self._cloud("mailbox", Range.exact(n_bytes), "bytes", years, region)

    def mail_kept(
        self,
        count: int,
        size_bytes: float | None = None,
        years: float = 1.0,
        region: str = DEFAULT_REGION,
    ) -> Impact:
        """Keeping ``count`` mails of ``size_bytes`` on average (sourced default) for ``years``."""
        check_count(count, "count")
        if size_bytes is None:
            size = self.r("email_size_kept") * MIB
            extra: tuple[str, ...] = ("email_size_kept",)
        else:
            size, extra = Range.exact(size_bytes), ()
        impact = self._cloud("mail_kept", size * count, "mails", years, region, extra)
        return replace(impact, quantity=count)

    def mail_sent(
        self,
        count: int,
        attachment: bool = False,
        region: str = DEFAULT_REGION,
        size_bytes: float | None = None,
        recipients: int = 1,
    ) -> Impact:
        """Sending ``count`` mails, as ADEME counts it: writing, reading (by each of the
        ``recipients``), sending, and keeping them 10 years on both sides.

        Raises:
            ValueError: a negative count, or fewer than one recipient.
        """
        check_region(region)
        check_count(count, "count")
        if recipients < 1:
            raise ValueError("a mail has one recipient or more")
        size_key = "email_size_attachment" if attachment else "email_size_text"
        if size_bytes is None:
            gib = self.r(size_key) * (MIB / GIB)
        else:
            check_count(size_bytes, "size_bytes")
            gib = Range.exact(size_bytes / GIB)
        grid = self.grid(region)
        years = self.r("email_storage_years")
        # the sender's copies, and each recipient's
        copies = self.r("storage_cloud_replication") * float(1 + recipients)
        hours = (
            self.r("email_writing_minutes") + self.r("email_reading_minutes") * float(recipients)
        ) * (1 / 60)
        terminal_kwh = self.r("office_terminal_kwh") * hours
        # the server's share is per mail; its electricity counts on both sides, per recipient
        server_kwh = self.r("email_server_kwh") * ((1 + recipients) / 2)
        storage_kwh = self.r("storage_cloud_kwh_per_copy") * copies * years * gib
        backups = self.r("email_backup_transfers") * float(recipients)
        transfers = backups + float(1 + recipients)  # sending, receiving, backups
        network_kwh = self.r("network_kwh") * transfers * gib * (GIB / 10**9)
        grams = (
            self.r("office_terminal_embodied") * hours
            + self.r("email_server_embodied")  # one mail, whatever the recipients
            + (terminal_kwh + server_kwh + storage_kwh) * grid
            + self.r(f"network_fixed_{region}") * gib * float(1 + recipients)
            + self.r(f"network_fixed_excl_box_{region}") * backups * gib
            + self.r("storage_cloud_embodied_per_copy") * copies * years * gib
        )
        used = () if size_bytes is not None else (size_key,)
        return Impact(
            activity="mail_sent_attachment" if attachment else "mail_sent",
            quantity=count,
            unit="mails",
            kwh=(terminal_kwh + server_kwh + storage_kwh + network_kwh) * count,
            kgco2e=grams * (count * 0.001),
            water_l=(server_kwh + storage_kwh) * self.r("dc_water_per_kwh") * count,
            sources=(
                *used,
                "email_writing_minutes",
                "email_reading_minutes",
                "office_terminal_embodied",
                "office_terminal_kwh",
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
            detail={"recipients": recipients, "size_bytes": round(gib.central * GIB)},
        )
