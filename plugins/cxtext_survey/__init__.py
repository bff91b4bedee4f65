"""cxtext survey plugin: verbatims with NPS, CSAT and CES from survey exports.

Reads plain CSV/TSV/XLSX files and Qualtrics and SurveyMonkey exports; see
``docs/sources-survey-reviews.md``.
"""

from cxtext.hookspecs import hookimpl

from cxtext_survey.source import SurveySource

__all__ = ["SurveySource"]


@hookimpl
def register_sources():
    return [SurveySource()]
