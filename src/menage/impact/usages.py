"""Everyday usages the campaigns talk about: data sent, video, calls, searches, AI.

Each formula follows the matching rule of ADEME's model (``fichier``, ``streaming``,
``visio``, ``recherche web``); AI requests follow the studies named in the factors.
"""

from __future__ import annotations

from menage.impact._base import DEFAULT_REGION, GB, GIB, ModelBase, check_count, check_region
from menage.impact.required import CALL_QUALITIES, NETWORKS, QUALITIES
from menage.impact.values import Impact


class UsagesMixin(ModelBase):
    """Network transfers, files, video streaming, video calls, web searches and AI."""

    def _network_key(self, network: str, region: str) -> str:
        if network not in NETWORKS:
            raise ValueError(f"unknown network {network!r} (fixed or mobile)")
        return f"network_{network}_{check_region(region)}"

    def transfer(
        self, n_bytes: float, network: str = "fixed", region: str = DEFAULT_REGION
    ) -> Impact:
        """Sending or receiving ``n_bytes`` over a fixed or mobile network (network only)."""
        check_count(n_bytes, "n_bytes")
        key = self._network_key(network, region)
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

    def file_transfer(
        self, n_bytes: float, network: str = "fixed", region: str = DEFAULT_REGION
    ) -> Impact:
        """Sending a file of ``n_bytes`` through an online service: the network and the
        service's servers (ADEME's ``fichier`` rule; the devices are left out, as the
        transfer runs in the background)."""
        check_count(n_bytes, "n_bytes")
        key = self._network_key(network, region)
        gib = n_bytes / GIB
        dc_kwh = self.r("dc_kwh_per_gib_sent") * gib
        grams = (
            self.r(key) * self.per_unit_of(key, n_bytes)
            + self.r("dc_embodied_per_gib_sent") * gib
            + dc_kwh * self.grid(region)
        )
        network_kwh = self.r("network_kwh") * (n_bytes / GB)
        return Impact(
            activity=f"file_{network}",
            quantity=n_bytes,
            unit="bytes",
            kwh=network_kwh + dc_kwh,
            kgco2e=grams * 0.001,
            water_l=dc_kwh * self.r("dc_water_per_kwh"),
            sources=(
                key,
                "dc_embodied_per_gib_sent",
                "dc_kwh_per_gib_sent",
                "network_kwh",
                f"elec_{region}",
                "dc_water_per_kwh",
            ),
        )

    def streaming(
        self,
        hours: float,
        quality: str = "hd",
        region: str = DEFAULT_REGION,
        network: str = "fixed",
    ) -> Impact:
        """Watching ``hours`` of video on ADEME's device mix (70 % on a TV)."""
        check_count(hours, "hours")
        if quality not in QUALITIES:
            raise ValueError(f"unknown quality {quality!r}")
        gib = self.r(f"streaming_gib_per_hour_{quality}")
        grid = self.grid(region)
        net_key = self._network_key(network, region)
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

    def video_call(
        self,
        hours: float,
        participants: int = 2,
        quality: str = "sd",
        region: str = DEFAULT_REGION,
        network: str = "fixed",
    ) -> Impact:
        """A call of ``hours`` between ``participants`` places, each on a laptop by
        default (ADEME's ``visio`` rule: SD video, two places)."""
        check_count(hours, "hours")
        if participants < 2:
            raise ValueError("a call has two participants or more")
        if quality not in CALL_QUALITIES:
            raise ValueError(f"unknown quality {quality!r}")
        key = (
            "video_call_gib_per_hour_audio"
            if quality == "audio"
            else f"streaming_gib_per_hour_{quality}"
        )
        gib = self.r(key) * hours
        grid = self.grid(region)
        net_key = self._network_key(network, region)
        device_hours = hours * participants
        terminal_kwh = self.r("video_call_terminal_kwh") * device_hours
        dc_kwh = self.r("dc_kwh_per_gib_sent") * gib
        network_kwh = self.r("network_kwh") * gib * (participants * GIB / GB)
        grams = (
            self.r("video_call_terminal_embodied") * device_hours
            + terminal_kwh * grid
            + self.r(net_key) * gib * float(participants)
            + self.r("streaming_dc_embodied") * hours
            + dc_kwh * grid
        )
        return Impact(
            activity="video_call",
            quantity=hours,
            unit="hours",
            kwh=terminal_kwh + dc_kwh + network_kwh,
            kgco2e=grams * 0.001,
            water_l=dc_kwh * self.r("dc_water_per_kwh"),
            sources=(
                key,
                "video_call_terminal_embodied",
                "video_call_terminal_kwh",
                net_key,
                "streaming_dc_embodied",
                "dc_kwh_per_gib_sent",
                "network_kwh",
                f"elec_{region}",
                "dc_water_per_kwh",
            ),
            detail={"participants": participants, "quality": quality},
        )

    def web_search(
        self, count: int, region: str = DEFAULT_REGION, network: str = "fixed"
    ) -> Impact:
        """``count`` web searches: typing, reading one page of results, the network and
        the search engine's servers (ADEME's ``recherche web`` rule)."""
        check_count(count, "count")
        grid = self.grid(region)
        net_key = self._network_key(network, region)
        hours = self.r("web_search_minutes") * (1 / 60)
        terminal_kwh = self.r("office_terminal_kwh") * hours
        dc_kwh = self.r("web_search_dc_kwh")
        gib = self.r("web_search_gib")
        grams = (
            self.r("office_terminal_embodied") * hours
            + terminal_kwh * grid
            + self.r(net_key) * gib
            + self.r("web_search_dc_embodied")
            + dc_kwh * grid
        )
        network_kwh = self.r("network_kwh") * gib * (GIB / GB)
        return Impact(
            activity="web_search",
            quantity=count,
            unit="requests",
            kwh=(terminal_kwh + dc_kwh + network_kwh) * count,
            kgco2e=grams * (count * 0.001),
            water_l=dc_kwh * self.r("dc_water_per_kwh") * count,
            sources=(
                "web_search_minutes",
                "office_terminal_embodied",
                "office_terminal_kwh",
                "web_search_gib",
                net_key,
                "web_search_dc_embodied",
                "web_search_dc_kwh",
                "network_kwh",
                f"elec_{region}",
                "dc_water_per_kwh",
            ),
        )

    def ai_text(self, count: int) -> Impact:
        """``count`` chatbot requests (the provider's data centre: --region does not apply)."""
        check_count(count, "count")
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
        """``count`` generated images (electricity only, on the world mix). The range
        across models is wide: the high bound is the least efficient model tested."""
        check_count(count, "count")
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
