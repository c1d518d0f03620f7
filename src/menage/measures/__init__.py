"""Sending a workspace's measures to a campaign's platform (``menage submit``)."""

from menage.measures.submit import (
    CampaignClosed,
    CampaignInfo,
    ServerUnreachable,
    SubmitError,
    UnknownCode,
    aggregate,
    campaign_info,
    resolve,
    send,
    submission_key,
)

__all__ = [
    "CampaignClosed",
    "CampaignInfo",
    "ServerUnreachable",
    "SubmitError",
    "UnknownCode",
    "aggregate",
    "campaign_info",
    "resolve",
    "send",
    "submission_key",
]
