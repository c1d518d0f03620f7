"""Devices: making them, using them a year, keeping them longer, giving them a second life."""

from __future__ import annotations

from menage.impact._base import DEFAULT_REGION, HOURS_PER_YEAR, ModelBase, check_count
from menage.impact.devices import impact_device
from menage.impact.values import Impact, Range

#: devices whose second life has its own published figures (ADEME 2022); the others
#: are estimated from their yearly share of manufacturing
SECOND_LIFE_STUDIED = ("phone", "laptop")
METHOD_STUDY = "ademe_refurbished_study"
METHOD_SHARE = "manufacturing_share"


class LifecycleMixin(ModelBase):
    """Manufacturing, yearly electricity, life extension and second life of devices."""

    def embodied(self, device: str) -> Range:
        """Manufacturing, distribution and end of life of one device, in kgCO2e."""
        return self.r(f"device_{impact_device(device)}_embodied")

    def lifespan(self, device: str) -> Range:
        """Usual lifespan in years."""
        return self.r(f"device_{impact_device(device)}_lifespan")

    def device_manufacturing(self, device: str, count: int = 1) -> Impact:
        """Making (and shipping, and disposing of) ``count`` new devices."""
        code = impact_device(device)
        check_count(count, "count")
        return Impact(
            activity=f"make_{code}",
            quantity=count,
            unit="devices",
            kwh=None,
            kgco2e=self.embodied(code) * count,
            water_l=None,
            sources=(f"device_{code}_embodied",),
        )

    def yearly_share(self, device: str) -> Range:
        """A device's manufacturing divided by its usual lifespan, in kgCO2e a year."""
        return self.embodied(device).divided_by(self.lifespan(device))

    def device_life_extension(self, device: str, years: float) -> Impact:
        """What keeping a device ``years`` longer avoids: that many yearly shares of a
        new one's manufacturing (its footprint divided by its usual lifespan)."""
        code = impact_device(device)
        check_count(years, "years")
        return Impact(
            activity=f"keep_{code}",
            quantity=years,
            unit="years",
            kwh=None,
            kgco2e=self.yearly_share(code) * years,
            water_l=None,
            sources=(f"device_{code}_embodied", f"device_{code}_lifespan"),
            avoided=True,
        )

    def device_use(self, device: str, years: float = 1.0, region: str = DEFAULT_REGION) -> Impact:
        """The electricity of using one device for ``years`` on its usual daily profile."""
        code = impact_device(device)
        check_count(years, "years")
        hours = self.r(f"device_{code}_hours_per_day") * (365 * years)
        kwh = self.r(f"device_{code}_power_w") * hours * 0.001
        return Impact(
            activity=f"use_{code}",
            quantity=years,
            unit="years",
            kwh=kwh,
            kgco2e=kwh * self.grid(region) * 0.001,
            water_l=None,
            sources=(
                f"device_{code}_power_w",
                f"device_{code}_hours_per_day",
                f"elec_{region}",
            ),
        )

    def second_life(self, device: str, count: int = 1, years: float = 1.0) -> Impact:
        """What ``count`` reused or refurbished devices avoid over ``years`` of use,
        instead of new ones.

        Phones and laptops use ADEME's 2022 study of refurbished products (refurbishing
        counted). Other devices use their yearly share of manufacturing, an upper
        estimate (the work of refurbishing them is not deducted); ``detail["method"]``
        says which.
        """
        code = impact_device(device)
        check_count(count, "count")
        check_count(years, "years")
        if code in SECOND_LIFE_STUDIED:
            per_year = self.r(f"secondlife_{code}_kgco2e_per_year")
            sources: tuple[str, ...] = (f"secondlife_{code}_kgco2e_per_year",)
            raw: Range | None = self.r(f"secondlife_{code}_raw_kg_per_year") * (count * years)
            method = METHOD_STUDY
            sources = (*sources, f"secondlife_{code}_raw_kg_per_year")
        else:
            per_year = self.yearly_share(code)
            sources = (f"device_{code}_embodied", f"device_{code}_lifespan")
            raw, method = None, METHOD_SHARE
        detail: dict[str, object] = {"device": code, "devices": count, "method": method}
        if raw is not None:
            detail["raw_materials_kg"] = raw.to_dict()
        return Impact(
            activity=f"second_life_{code}",
            quantity=years,
            unit="years",
            kwh=None,
            kgco2e=per_year * (count * years),
            water_l=None,
            sources=sources,
            avoided=True,
            detail=detail,
        )


def always_on_kwh(watts: float) -> float:
    """A year around the clock at ``watts``, in kWh (an internet box: 8 W ≈ 70 kWh)."""
    return watts * HOURS_PER_YEAR / 1000
