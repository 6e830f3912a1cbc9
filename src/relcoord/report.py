"""The report model: what a reader of an RC analysis sees, independent of any file format.

:func:`build_report` turns an :class:`~relcoord.analysis.Analysis` into a :class:`Report`:
a title, a short description of the study, and a tuple of :class:`Section` objects, each
holding blocks of four kinds:

:class:`Paragraph`
    running text (already in the report's language);
:class:`BulletList`
    a list of short items;
:class:`Table`
    a header and rows of *plain values* (``str``, ``int``, ``float``, ``bool`` or ``None``)
    with a :data:`ColumnKind` per column, so that every renderer formats numbers the same
    way through :func:`format_cell` (``None`` becomes ``"–"``, a share a percentage, a
    Danish number gets a decimal comma);
:class:`FigureRef`
    a reference, by name, to a figure of :func:`relcoord.figures.render_figures`.

Renderers (the DOCX plugin, a Markdown or HTML renderer) walk the sections and draw each
block; they never compute a figure themselves.  The sections, in order: overview, findings
(one subsection per finding), network map, RC scores (heat map), dimension profiles, roles,
invitations, data quality, reliability and agreement, the change between two waves (when
the analysis compares two), and method and settings (every setting that a number depends
on, so that a reader can reproduce it, with the privacy rule in force).  The reliability and
change sections come from :mod:`relcoord.report_sections` and are added with
:meth:`Report.with_section`; nothing in a renderer needs to change for that.  The model
types themselves live in :mod:`relcoord.report_model` and are re-exported here.

The report is written in Danish (``lang="da"``, the default: the seed's readers are Danish
schools and municipalities) or English (``lang="en"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

from relcoord.report_model import (
    MISSING,
    Block,
    BulletList,
    Cell,
    ColumnKind,
    FigureRef,
    Paragraph,
    Report,
    Section,
    Table,
    format_cell,
)
from relcoord.report_sections import change_section, reliability_section
from relcoord.settings import LANGS

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.finding import Finding
    from relcoord.metrics.scores import Figure

__all__ = [
    "MISSING",
    "Block",
    "BulletList",
    "Cell",
    "ColumnKind",
    "FigureRef",
    "Paragraph",
    "Report",
    "Section",
    "Table",
    "build_report",
    "format_cell",
    "organisation_label",
    "report_text",
]

#: Organisation ids the report has words for (others are shown as given).
_KNOWN_ORGANISATIONS: Final = ("school", "municipality")


# --- wording -------------------------------------------------------------------------------------

_TEXT: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "report": "Relational Coordination report",
        "overview": "Overview",
        "findings": "Findings",
        "findings_intro": "What the data shows, in plain language. Each finding names the "
        "rule behind it in the section on method; the numbers behind it are in the tables.",
        "no_findings": "The data supports none of the standard findings.",
        "network": "Network map",
        "network_intro": "Each circle is a role (function group), coloured by organisation "
        "and sized by the number of arrows it receives. An arrow runs from the role that "
        "rated (or named) to the role it rated, coloured by the band of the rating; grey "
        "arrows were named but not rated. Hollow, dashed circles are roles that were named "
        "but had nobody present.",
        "network_caption": "The role network: who points to whom, and how well they "
        "coordinate.",
        "network_table": "The network at a glance",
        "ei_table": "Arrows within and across organisations (E-I index)",
        "scores": "RC scores",
        "scores_intro": "Relational Coordination (RC) runs from 1 (weak) to 5 (strong). "
        "Each cell of the heat map is a tie: how the respondents of the row's role rate "
        "the column's role.",
        "heatmap_caption": "Rater (rows) by target (columns): the RC of each tie.",
        "rc_table": "RC figures",
        "band_table": "Ties between roles by band",
        "profiles": "Dimension profiles",
        "profiles_intro": "Communication (frequent, timely, accurate, problem-solving) and "
        "relationships (shared goals, shared knowledge, mutual respect). The right panel "
        "counts, for the rated ties, which dimension scores lowest.",
        "profiles_caption": "The mean of each dimension, and how often each is a tie's "
        "weakest.",
        "dimension_table": "Mean per dimension",
        "tie_table": "Ties: rater, target and dimension profile",
        "tie_note": "Gap = communication minus relationship. Lowest = the dimension with the "
        "lowest mean on the tie.",
        "withheld": "withheld",
        "withheld_note": "Withheld: rated, but by fewer than {k} respondents, so no number "
        "is shown (and none of its ratings enters any other figure).",
        "n_withheld": "Ratings withheld (fewer than the minimum respondents)",
        "roles": "Roles",
        "roles_intro": "In and out count arrows to and from other roles; reciprocity is the "
        "share of a role's outgoing arrows that are returned. RC as rater is the role's "
        "row of the tie matrix, RC as target its column (own tie excluded).",
        "role_table": "Roles: arrows, reciprocity and RC",
        "invitations": "Invitations (dance card)",
        "invitations_intro": "Invitations to dialogue: who invited whom, and the answer.",
        "no_invitations": "The study has no dialogue invitations.",
        "invitations_caption": "Invitations to dialogue, coloured by their status.",
        "invitation_roles": "Invitations sent and received per role",
        "invitation_list": "All invitations",
        "quality": "Data quality",
        "quality_intro": "How complete the data is: who took part, how many ratings "
        "counted, and how many respondents each role has.",
        "counts_table": "Counts",
        "coverage_table": "Coverage: roles that took part",
        "respondents_table": "Respondents per role",
        "absent_heading": "Named but absent",
        "method": "Method and settings",
        "method_intro": "Every number in this report follows from the data and these "
        "settings; with the same settings, relcoord gives the same numbers.",
        "settings_table": "Settings",
        "formulas": "A respondent-tie's RC is the mean of the scored items one respondent "
        "answered about one role (when at least the minimum number of items is answered). "
        "A tie A→B is the mean over the respondents in A. Communication is the mean of the "
        "communication items, relationship the mean of the relationship items; RC is not "
        "the mean of the two (Gittell 2016, appendix). Bands: weak below {low}, moderate "
        "{low} to {high}, strong above {high}.",
        "weighting_respondent": "by respondent (every respondent-tie counts once)",
        "weighting_tie": "by tie (every tie's mean counts once)",
        "weighting_group": "by group (every rating role counts once)",
        "no_data": "No data.",
        # column headings
        "role": "Role", "organisation": "Organisation", "present": "Present",
        "respondents": "Respondents", "raters": "Raters of it", "in": "Arrows in",
        "out": "Arrows out", "returned": "Returned", "reciprocity": "Reciprocity",
        "rc_rater": "RC as rater", "rc_target": "RC as target", "rc_within": "RC within",
        "weak_share": "Weak ties", "rater": "Rater", "target": "Target", "rc": "RC",
        "communication": "Communication", "relationship": "Relationship", "gap": "Gap",
        "lowest": "Lowest", "band": "Band", "ratings": "Ratings", "ties": "Ties",
        "dimension": "Dimension", "sub_index": "Sub-index", "mean": "Mean",
        "setting": "Setting", "value": "Value", "figure": "Figure", "measure": "Measure",
        "sent": "Sent", "received": "Received", "accepted": "Accepted",
        "declined": "Declined", "pending": "Open", "held": "Held",
        "acceptance": "Acceptance", "topic": "Topic", "status": "Status", "wave": "Wave",
        "internal": "Internal", "external": "External", "ei": "E-I index",
        "count": "Count", "share": "Share",
        # row labels
        "overall": "Network (all ties)", "within": "Within roles", "between": "Between roles",
        "internal_rc": "Inside one organisation", "external_rc": "Across organisations",
        "n_roles": "Roles", "n_present": "Roles present", "n_respondents": "Respondents",
        "n_ratings": "Ratings", "n_counted": "Ratings counted",
        "n_excluded": "Ratings left out (too few items)", "n_arrows": "Named arrows",
        "n_invitations": "Invitations", "with_respondents": "Roles with respondents",
        "rating": "Roles that rated others", "naming": "Roles that drew arrows",
        "arrows_net": "Arrows between roles", "reciprocity_net": "Reciprocity",
        "mutual": "Mutual pairs", "asymmetric": "One-way pairs", "null": "Pairs without arrows",
        "ei_net": "E-I index (−1 all internal, +1 all external)",
        "communities": "Communities",
        "instrument": "Instrument", "items": "Items", "weighting": "Weighting",
        "min_items": "Minimum items per respondent-tie", "min_items_rule": "default rule",
        "min_respondents": "Minimum respondents per shown figure",
        "bands": "Bands (weak below, strong above)", "degree_basis": "Degrees count",
        "basis_arrows": "named arrows", "basis_ratings": "rated ties",
        "network_backend": "Network measures", "pagerank": "PageRank damping",
        "community_method": "Communities", "version": "relcoord version",
        "override_used": "override: below 3, the least survey platforms allow",
        "privacy_note": "Privacy: a figure is shown only when it rests on at least {k} "
        "respondents (min_respondents = {k}); the ratings of every tie with fewer are left "
        "out of every figure, so that they cannot be worked out by subtraction.",
        "override_note": "The minimum was lowered to {k} with min_respondents_override, "
        "below the 3 that survey platforms never go under: figures in this report may rest "
        "on as few as {k} people, whose answers can then be recognised.",
        "compare": "Waves compared", "bootstrap": "Bootstrap of the change",
        "bootstrap_value": "{n} replicates, seed {seed}",
        "weak": "weak", "moderate": "moderate", "strong": "strong",
        "finding_figures": "The numbers behind it",
        # finding titles
        "most_named": "Central partners", "overlooked": "Overlooked resources",
        "internal_external_gap": "Internal and external ties",
        "named_but_absent": "Named but absent", "weak_ties": "Weak ties",
        "perception_gap": "Perception gap", "dialogue": "Dialogue",
        "school": "School", "municipality": "Municipality", "no_organisation": "No organisation",
    },
    "da": {
        "report": "Rapport om relationel koordinering",
        "overview": "Overblik",
        "findings": "Fund",
        "findings_intro": "Hvad data viser, i almindeligt sprog. Reglen bag hvert fund står "
        "i afsnittet om metode; tallene bag det står i tabellerne.",
        "no_findings": "Data understøtter ingen af standardfundene.",
        "network": "Netværkskort",
        "network_intro": "Hver cirkel er en funktionsgruppe, farvet efter organisation og "
        "med en størrelse efter antallet af pile, den modtager. En pil går fra den gruppe, "
        "der vurderede (eller pegede på), til den gruppe, den vurderede, farvet efter "
        "vurderingens niveau; grå pile blev tegnet, men ikke vurderet. Hule, stiplede "
        "cirkler er grupper, der blev nævnt, men ikke var til stede.",
        "network_caption": "Netværket af funktionsgrupper: hvem peger på hvem, og hvor godt "
        "de koordinerer.",
        "network_table": "Netværket i tal",
        "ei_table": "Pile inden for og på tværs af organisationer (E-I-indeks)",
        "scores": "RC-scorer",
        "scores_intro": "Relationel koordinering (RC) går fra 1 (svag) til 5 (stærk). Hver "
        "celle i varmekortet er en relation: hvordan deltagerne i rækkens gruppe vurderer "
        "søjlens gruppe.",
        "heatmap_caption": "Vurderende gruppe (rækker) mod vurderet gruppe (søjler): RC for "
        "hver relation.",
        "rc_table": "RC i tal",
        "band_table": "Relationer mellem grupper efter niveau",
        "profiles": "Dimensionsprofiler",
        "profiles_intro": "Kommunikation (hyppig, rettidig, præcis, problemløsende) og "
        "relationer (fælles mål, fælles viden, gensidig respekt). Det højre panel tæller, "
        "hvilken dimension der scorer lavest i de vurderede relationer.",
        "profiles_caption": "Gennemsnittet for hver dimension, og hvor ofte hver er en "
        "relations svageste.",
        "dimension_table": "Gennemsnit pr. dimension",
        "tie_table": "Relationer: vurderende, vurderet og dimensionsprofil",
        "tie_note": "Forskel = kommunikation minus relationer. Lavest = den dimension, der "
        "har det laveste gennemsnit i relationen.",
        "withheld": "skjult",
        "withheld_note": "Skjult: vurderet, men af færre end {k} deltagere, så intet tal "
        "vises (og ingen af vurderingerne indgår i andre tal).",
        "n_withheld": "Vurderinger skjult (færre end mindste antal deltagere)",
        "roles": "Funktionsgrupper",
        "roles_intro": "Ind og ud tæller pile til og fra andre grupper; gensidighed er "
        "andelen af en gruppes udgående pile, der bliver gengældt. RC som vurderende er "
        "gruppens række i matricen, RC som vurderet dens søjle (egen relation ikke "
        "medregnet).",
        "role_table": "Funktionsgrupper: pile, gensidighed og RC",
        "invitations": "Invitationer (balkort)",
        "invitations_intro": "Invitationer til dialog: hvem inviterede hvem, og svaret.",
        "no_invitations": "Undersøgelsen har ingen invitationer til dialog.",
        "invitations_caption": "Invitationer til dialog, farvet efter status.",
        "invitation_roles": "Invitationer sendt og modtaget pr. gruppe",
        "invitation_list": "Alle invitationer",
        "quality": "Datakvalitet",
        "quality_intro": "Hvor fuldstændige data er: hvem deltog, hvor mange vurderinger "
        "talte med, og hvor mange deltagere hver gruppe har.",
        "counts_table": "Antal",
        "coverage_table": "Dækning: grupper, der deltog",
        "respondents_table": "Deltagere pr. gruppe",
        "absent_heading": "Nævnt, men ikke til stede",
        "method": "Metode og indstillinger",
        "method_intro": "Alle tal i rapporten følger af data og disse indstillinger; med de "
        "samme indstillinger giver relcoord de samme tal.",
        "settings_table": "Indstillinger",
        "formulas": "En deltagers RC for en relation er gennemsnittet af de scorede spørgsmål, "
        "deltageren har besvaret om en gruppe (når mindst det mindste antal spørgsmål er "
        "besvaret). En relation A→B er gennemsnittet over deltagerne i A. Kommunikation er "
        "gennemsnittet af kommunikationsspørgsmålene, relationer af relationsspørgsmålene; "
        "RC er ikke gennemsnittet af de to (Gittell 2016, appendiks). Niveauer: svag under "
        "{low}, moderat {low} til {high}, stærk over {high}.",
        "weighting_respondent": "pr. deltager (hver deltagers vurdering tæller én gang)",
        "weighting_tie": "pr. relation (hver relations gennemsnit tæller én gang)",
        "weighting_group": "pr. gruppe (hver vurderende gruppe tæller én gang)",
        "no_data": "Ingen data.",
        "role": "Gruppe", "organisation": "Organisation", "present": "Til stede",
        "respondents": "Deltagere", "raters": "Vurderet af", "in": "Pile ind",
        "out": "Pile ud", "returned": "Gengældt", "reciprocity": "Gensidighed",
        "rc_rater": "RC som vurderende", "rc_target": "RC som vurderet",
        "rc_within": "RC internt", "weak_share": "Svage relationer",
        "rater": "Vurderende", "target": "Vurderet", "rc": "RC",
        "communication": "Kommunikation", "relationship": "Relationer", "gap": "Forskel",
        "lowest": "Lavest", "band": "Niveau", "ratings": "Vurderinger", "ties": "Relationer",
        "dimension": "Dimension", "sub_index": "Delindeks", "mean": "Gennemsnit",
        "setting": "Indstilling", "value": "Værdi", "figure": "Tal", "measure": "Mål",
        "sent": "Sendt", "received": "Modtaget", "accepted": "Accepteret",
        "declined": "Afslået", "pending": "Åben", "held": "Afholdt",
        "acceptance": "Accept", "topic": "Emne", "status": "Status", "wave": "Runde",
        "internal": "Interne", "external": "Eksterne", "ei": "E-I-indeks",
        "count": "Antal", "share": "Andel",
        "overall": "Netværket (alle relationer)", "within": "Inden for grupper",
        "between": "Mellem grupper", "internal_rc": "Inden for én organisation",
        "external_rc": "På tværs af organisationer",
        "n_roles": "Funktionsgrupper", "n_present": "Grupper til stede",
        "n_respondents": "Deltagere", "n_ratings": "Vurderinger",
        "n_counted": "Vurderinger talt med",
        "n_excluded": "Vurderinger udeladt (for få svar)", "n_arrows": "Pile (relationskort)",
        "n_invitations": "Invitationer", "with_respondents": "Grupper med deltagere",
        "rating": "Grupper, der vurderede andre", "naming": "Grupper, der tegnede pile",
        "arrows_net": "Pile mellem grupper", "reciprocity_net": "Gensidighed",
        "mutual": "Gensidige par", "asymmetric": "Ensidige par", "null": "Par uden pile",
        "ei_net": "E-I-indeks (−1 kun internt, +1 kun eksternt)",
        "communities": "Klynger",
        "instrument": "Instrument", "items": "Spørgsmål", "weighting": "Vægtning",
        "min_items": "Mindste antal svar pr. vurdering", "min_items_rule": "standardregel",
        "min_respondents": "Mindste antal deltagere bag et vist tal",
        "bands": "Niveauer (svag under, stærk over)", "degree_basis": "Pile tæller",
        "basis_arrows": "tegnede pile", "basis_ratings": "vurderede relationer",
        "network_backend": "Netværksmål", "pagerank": "PageRank-dæmpning",
        "community_method": "Klynger", "version": "relcoord-version",
        "override_used": "tilsidesat: under 3, det mindste, spørgeskemaplatforme tillader",
        "privacy_note": "Fortrolighed: et tal vises kun, når det bygger på mindst {k} "
        "deltagere (min_respondents = {k}); vurderingerne i hver relation med færre "
        "udelades af alle tal, så de ikke kan regnes ud ved at trække tal fra hinanden.",
        "override_note": "Grænsen blev sænket til {k} med min_respondents_override, under "
        "de 3, som spørgeskemaplatforme aldrig går under: tal i rapporten kan bygge på helt "
        "ned til {k} personer, hvis svar så kan genkendes.",
        "compare": "Sammenlignede runder", "bootstrap": "Bootstrap af ændringen",
        "bootstrap_value": "{n} gentagelser, frø {seed}",
        "weak": "svag", "moderate": "moderat", "strong": "stærk",
        "finding_figures": "Tallene bag",
        "most_named": "Centrale samarbejdspartnere", "overlooked": "Oversete ressourcer",
        "internal_external_gap": "Internt og eksternt samarbejde",
        "named_but_absent": "Nævnt, men ikke til stede", "weak_ties": "Svage relationer",
        "perception_gap": "Forskellig opfattelse", "dialogue": "Dialog",
        "school": "Skole", "municipality": "Kommune", "no_organisation": "Ingen organisation",
    },
}

#: Labels of the per-role and scalar figures of findings (keys of ``Finding.figures``).
_FIGURE_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "in_degree": "Arrows in", "out_degree": "Arrows out",
        "unreciprocated_share": "Not returned", "weak_share": "Weak ties",
        "n_rated_ties": "Rated ties", "median_in_degree": "Median arrows in",
        "naming_roles": "Roles that named partners", "low": "Weak below",
        "weak_ties": "Weak ties", "rated_ties": "Rated ties", "sent": "Sent",
        "accepted": "Accepted", "declined": "Declined", "pending": "Open",
        "acceptance_rate": "Acceptance rate", "coverage": "Weak or one-way ties covered",
        "difference": "Difference", "internal": "Inside organisations",
        "external": "Across organisations", "gap": "Difference", "present": "Roles present",
        "most_invited": "Invitations received",
    },
    "da": {
        "in_degree": "Pile ind", "out_degree": "Pile ud",
        "unreciprocated_share": "Ikke gengældt", "weak_share": "Svage relationer",
        "n_rated_ties": "Vurderede relationer", "median_in_degree": "Median for pile ind",
        "naming_roles": "Grupper, der pegede på andre", "low": "Svag under",
        "weak_ties": "Svage relationer", "rated_ties": "Vurderede relationer",
        "sent": "Sendt", "accepted": "Accepteret", "declined": "Afslået", "pending": "Åben",
        "acceptance_rate": "Acceptrate", "coverage": "Svage eller ensidige relationer dækket",
        "difference": "Forskel", "internal": "Inden for organisationer",
        "external": "På tværs af organisationer", "gap": "Forskel",
        "present": "Grupper til stede", "most_invited": "Invitationer modtaget",
    },
}


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        from relcoord.settings import InvalidSettingsError

        raise InvalidSettingsError("lang", f"expected one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def report_text(key: str, lang: str) -> str:
    """A fixed phrase of the report in ``lang`` (``da`` or ``en``), for renderers' own text."""
    return _TEXT[_check_lang(lang)][key]


def organisation_label(organisation: str | None, lang: str) -> str:
    """An organisation id as a reader's word (``school`` -> ``Skole``); others as given."""
    words = _TEXT[_check_lang(lang)]
    if organisation is None:
        return words["no_organisation"]
    if organisation in _KNOWN_ORGANISATIONS:
        return words[organisation]
    return organisation


# --- building the report -------------------------------------------------------------------------


class _Builder:
    """Holds the analysis and language while the sections are built."""

    def __init__(self, analysis: Analysis, lang: str) -> None:
        self.a = analysis
        self.lang = lang
        self.t = _TEXT[lang]

    def role(self, role_id: str) -> str:
        return self.a.study.role(role_id).label(self.lang)

    def band(self, band: str | None) -> str | None:
        return None if band is None else self.t.get(band, band)

    def dimension(self, key: str | None) -> str | None:
        if key is None:
            return None
        return self.a.study.instrument.dimension(key).name(self.lang)

    # -- sections ------------------------------------------------------------------------------

    def overview(self) -> Section:
        study = self.a.study
        overall = self.a.scores.overall
        present = sum(1 for r in study.roles if r.present)
        rc = format_cell(overall.rc, "number", self.lang)
        band = self.band(overall.band) or MISSING
        if self.lang == "da":
            text = (
                f"{len(study.roles)} funktionsgrupper ({present} til stede), "
                f"{len(study.respondents)} deltagere, {len(study.ratings)} vurderinger, "
                f"{len(study.ties)} pile og {len(study.invitations)} invitationer. "
                f"RC for hele netværket: {rc} ({band})."
            )
        else:
            text = (
                f"{len(study.roles)} roles ({present} present), {len(study.respondents)} "
                f"respondents, {len(study.ratings)} ratings, {len(study.ties)} arrows and "
                f"{len(study.invitations)} invitations. RC of the whole network: {rc} "
                f"({band})."
            )
        return Section("overview", self.t["overview"], (Paragraph(text), self.rc_table()))

    def findings(self) -> Section:
        subsections = tuple(
            self.finding(number, f) for number, f in enumerate(self.a.findings, start=1)
        )
        intro = self.t["findings_intro"] if subsections else self.t["no_findings"]
        return Section("findings", self.t["findings"], (Paragraph(intro),), subsections)

    def finding(self, number: int, finding: Finding) -> Section:
        title = self.t[finding.kind]
        if finding.kind == "perception_gap" and len(finding.roles) == 2:
            title = f"{title}: {self.role(finding.roles[0])} / {self.role(finding.roles[1])}"
        blocks: list[Block] = [Paragraph(finding.sentence(self.lang), "lead")]
        table = self.finding_table(finding)
        if table is not None:
            blocks.append(table)
        return Section(f"finding-{number}-{finding.kind}", title, blocks)

    def finding_table(self, finding: Finding) -> Table | None:
        """The per-role figures of a finding as columns, its scalar figures as a footer."""
        labels = _FIGURE_LABELS[self.lang]
        ids = set(self.a.study.role_ids)
        columns: list[tuple[str, Mapping[str, Any]]] = []
        scalars: list[tuple[str, Any]] = []
        for key, value in finding.figures.items():
            if isinstance(value, Mapping) and value and set(value) <= ids:
                columns.append((key, value))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                scalars.append((key, value))
        rows: list[tuple[Cell, ...]] = []
        kinds: list[ColumnKind] = []
        header: list[str] = []
        if columns:
            header = [self.t["role"], *(labels.get(k, k.replace("_", " ")) for k, _ in columns)]
            kinds = ["text", *(_kind_of(k, v.values()) for k, v in columns)]
            row_ids = [r for r in finding.roles if any(r in v for _, v in columns)]
            for role_id in row_ids:
                rows.append((self.role(role_id), *(v.get(role_id) for _, v in columns)))
        elif scalars:
            header = [self.t["figure"], self.t["value"]]
            kinds = ["text", "text"]
        if not header:
            return None
        note = "; ".join(
            f"{labels.get(k, k.replace('_', ' '))}: "
            f"{format_cell(v, _kind_of(k, (v,)), self.lang)}" for k, v in scalars
        )
        if not columns:
            rows = [
                (labels.get(k, k.replace("_", " ")), format_cell(v, _kind_of(k, (v,)),
                                                                  self.lang))
                for k, v in scalars
            ]
            note = ""
        return Table(self.t["finding_figures"], header, kinds, rows, note)

    def rc_table(self) -> Table:
        s = self.a.scores
        t = self.t
        entries: list[tuple[str, Figure]] = [
            (t["overall"], s.overall), (t["within"], s.within), (t["between"], s.between),
            (t["internal_rc"], s.organisations.internal),
            (t["external_rc"], s.organisations.external),
        ]
        rows = [
            (label, f.rc, f.communication, f.relationship, f.n_respondents, f.n_ratings,
             f.n_ties, self.band(f.band))
            for label, f in entries
        ]
        weighting = t[f"weighting_{self.a.settings.weighting}"]
        return Table(
            t["rc_table"],
            [t["measure"], t["rc"], t["communication"], t["relationship"], t["respondents"],
             t["ratings"], t["ties"], t["band"]],
            ["text", "number", "number", "number", "int", "int", "int", "text"],
            rows,
            f"{t['weighting']}: {weighting}.",
        )

    def network(self) -> Section:
        t = self.t
        net = self.a.network
        census = net.dyad_census
        rows: list[tuple[Cell, ...]] = [
            (t["arrows_net"], net.n_arrows),
            (t["reciprocity_net"], format_cell(net.reciprocity, "percent", self.lang)),
            (t["mutual"], census.mutual),
            (t["asymmetric"], census.asymmetric),
            (t["null"], census.null),
            (t["ei_net"], format_cell(net.ei_index, "number", self.lang)),
            (t["communities"], net.n_communities),
        ]
        blocks: list[Block] = [
            Paragraph(t["network_intro"], "note"),
            FigureRef("network", t["network_caption"]),
            Table(t["network_table"], [t["measure"], t["value"]], ["text", "text"],
                  [(label, format_cell(v, "int" if isinstance(v, int) else "text", self.lang))
                   for label, v in rows]),
        ]
        if net.ei_by_organisation:
            blocks.append(Table(
                t["ei_table"],
                [t["organisation"], t["internal"], t["external"], t["ei"]],
                ["text", "int", "int", "number"],
                [(organisation_label(o.organisation, self.lang), o.internal, o.external,
                  o.ei_index) for o in net.ei_by_organisation],
            ))
        return Section("network", t["network"], blocks)

    def scores(self) -> Section:
        t = self.t
        rated = [x for x in self.a.scores.ties if x.rc is not None and x.source != x.target]
        counts = {band: sum(1 for x in rated if x.band == band)
                  for band in ("weak", "moderate", "strong")}
        bands = Table(
            t["band_table"], [t["band"], t["ties"], t["share"]], ["text", "int", "percent"],
            [(t[band], n, n / len(rated) if rated else None) for band, n in counts.items()],
        )
        return Section("scores", t["scores"], (
            Paragraph(t["scores_intro"], "note"),
            FigureRef("heatmap", t["heatmap_caption"]),
            bands,
        ))

    def profiles(self) -> Section:
        t = self.t
        s = self.a.scores
        instrument = self.a.study.instrument
        dims = Table(
            t["dimension_table"],
            [t["dimension"], t["sub_index"], t["mean"]],
            ["text", "text", "number"],
            [(d.name(self.lang), t[d.sub_index], s.by_dimension.get(d.key))
             for d in instrument.dimensions],
        )
        ties = Table(
            t["tie_table"],
            [t["rater"], t["target"], t["respondents"], t["rc"], t["communication"],
             t["relationship"], t["gap"], t["lowest"], t["band"]],
            ["text", "text", "int", "number", "number", "number", "number", "text", "text"],
            [(self.role(x.source), self.role(x.target), x.n_respondents, x.rc,
              x.communication, x.relationship, x.gap, self.dimension(x.lowest_dimension),
              t["withheld"] if x.suppressed else self.band(x.band)) for x in s.ties],
            t["tie_note"] + " " + t["withheld_note"].format(
                k=self.a.settings.min_respondents),
        )
        return Section("profiles", t["profiles"], (
            Paragraph(t["profiles_intro"], "note"),
            FigureRef("profiles", t["profiles_caption"]),
            dims,
            ties,
        ))

    def roles(self) -> Section:
        t = self.t
        reciprocity = {m.role: m.reciprocity for m in self.a.network.roles}
        table = Table(
            t["role_table"],
            [t["role"], t["organisation"], t["present"], t["in"], t["out"], t["returned"],
             t["reciprocity"], t["rc_rater"], t["rc_target"], t["rc_within"],
             t["weak_share"]],
            ["text", "text", "bool", "int", "int", "int", "percent", "number", "number",
             "number", "percent"],
            [(r.role.label(self.lang), organisation_label(r.role.organisation, self.lang),
              r.role.present, r.in_degree, r.out_degree, r.reciprocated,
              reciprocity.get(r.id), r.rc_as_rater, r.rc_as_target, r.rc_within,
              r.weak_share) for r in self.a.roles],
        )
        return Section("roles", t["roles"], (Paragraph(t["roles_intro"], "note"), table))

    def invitations(self) -> Section:
        t = self.t
        inv = self.a.invitations
        if inv is None or inv.n_invitations == 0:
            return Section("invitations", t["invitations"], (Paragraph(t["no_invitations"]),))
        blocks: list[Block] = [Paragraph(t["invitations_intro"], "note")]
        blocks.extend(
            Paragraph(f.sentence(self.lang), "lead") for f in self.a.findings_of("dialogue")
        )
        blocks.append(FigureRef("invitations", t["invitations_caption"]))
        blocks.append(Table(
            t["invitation_roles"],
            [t["role"], t["sent"], t["received"], t["accepted"], t["declined"],
             t["pending"], t["acceptance"]],
            ["text", "int", "int", "int", "int", "int", "percent"],
            [(self.role(r.role), r.sent, r.received,
              r.received_by_status.accepted + r.received_by_status.held,
              r.received_by_status.declined, r.received_by_status.pending,
              r.received_acceptance)
             for r in inv.roles if r.sent or r.received],
            f"{t['accepted']}, {t['declined'].lower()}, {t['pending'].lower()}, "
            f"{t['acceptance'].lower()}: {t['received'].lower()}.",
        ))
        blocks.append(Table(
            t["invitation_list"],
            [t["sent"], t["received"], t["topic"], t["status"], t["wave"]],
            ["text", "text", "text", "text", "text"],
            [(self.role(i.source), self.role(i.target), i.topic or None,
              t.get(i.status, i.status), i.wave) for i in self.a.study.invitations],
        ))
        return Section("invitations", t["invitations"], blocks)

    def quality(self) -> Section:
        t = self.t
        study = self.a.study
        s = self.a.scores
        coverage = self.a.network.coverage
        counts = Table(
            t["counts_table"], [t["measure"], t["count"]], ["text", "int"],
            [(t["n_roles"], len(study.roles)),
             (t["n_present"], sum(1 for r in study.roles if r.present)),
             (t["n_respondents"], len(study.respondents)),
             (t["n_ratings"], self.a.privacy.n_ratings),
             (t["n_withheld"], self.a.privacy.ratings_withheld),
             (t["n_counted"], s.n_counted), (t["n_excluded"], s.n_excluded),
             (t["n_arrows"], len(study.ties)),
             (t["n_invitations"], len(study.invitations))],
        )
        cover = Table(
            t["coverage_table"], [t["measure"], t["count"], t["share"]],
            ["text", "int", "percent"],
            [(t["with_respondents"], coverage.with_respondents,
              coverage.share_with_respondents),
             (t["rating"], coverage.rating, coverage.share_rating),
             (t["naming"], coverage.naming, coverage.share_naming)],
        )
        people = Table(
            t["respondents_table"],
            [t["role"], t["organisation"], t["present"], t["respondents"], t["raters"],
             t["ties"]],
            ["text", "text", "bool", "int", "int", "int"],
            [(r.role.label(self.lang), organisation_label(r.role.organisation, self.lang),
              r.role.present, r.n_respondents, r.n_raters, r.n_rated_ties)
             for r in self.a.roles],
        )
        subsections: list[Section] = []
        if self.a.named_but_absent:
            subsections.append(Section("named-but-absent", t["absent_heading"], (
                BulletList(self.role(r) for r in self.a.named_but_absent),
            )))
        return Section("quality", t["quality"],
                       (Paragraph(t["quality_intro"], "note"), counts, cover, people),
                       subsections)

    def method(self) -> Section:
        from relcoord import __version__

        t = self.t
        settings = self.a.settings
        s = self.a.scores
        net = self.a.network
        instrument = self.a.study.instrument
        low, high = settings.bands

        def number(value: float) -> str:
            return format_cell(value, "number", self.lang)

        min_items = (f"{s.min_items} ({t['min_items_rule']})" if settings.min_items is None
                     else str(s.min_items))
        rows: list[tuple[Cell, ...]] = [
            (t["instrument"], f"{instrument.title} ({instrument.id})"),
            (t["items"], ", ".join(d.name(self.lang) for d in instrument.dimensions)),
            (t["weighting"], f"{settings.weighting}: "
             f"{t[f'weighting_{settings.weighting}']}"),
            (t["min_items"], min_items),
            (t["min_respondents"], str(settings.min_respondents)
             + (f" ({t['override_used']})" if settings.min_respondents_override else "")),
            (t["bands"], f"{number(low)} / {number(high)}"),
            (t["degree_basis"], t[f"basis_{self.a.degree_basis}"]),
            (t["network_backend"], net.backend),
            (t["pagerank"], number(net.damping)),
            (t["community_method"], net.community_method),
            (t["version"], __version__),
        ]
        if settings.compare is not None:
            rows[-1:-1] = [
                (t["compare"], f"{settings.compare[0]} → {settings.compare[1]}"),
                (t["bootstrap"], t["bootstrap_value"].format(n=settings.n_boot,
                                                             seed=settings.seed)),
            ]
        privacy = t["privacy_note"].format(k=settings.min_respondents)
        if settings.min_respondents_override:
            privacy += " " + t["override_note"].format(k=settings.min_respondents)
        return Section("method", t["method"], (
            Paragraph(t["method_intro"]),
            Table(t["settings_table"], [t["setting"], t["value"]], ["text", "text"], rows),
            Paragraph(t["formulas"].format(low=number(low), high=number(high)), "note"),
            Paragraph(privacy, "note"),
        ))


def _kind_of(key: str, values: Iterable[Any]) -> ColumnKind:
    """The column kind of a finding figure: a share or rate as percent, counts as int."""
    if "share" in key or "rate" in key or key == "coverage":
        return "percent"
    items = [v for v in values if v is not None]
    if items and all(isinstance(v, int) and not isinstance(v, bool) for v in items):
        return "int"
    return "number"


def build_report(analysis: Analysis, lang: str = "da") -> Report:
    """The report of ``analysis`` in ``lang`` (``"da"`` or ``"en"``), ready for a renderer.

    Every number is taken from the analysis as it is; the report computes nothing new, so
    it shows exactly what :func:`relcoord.analysis.analysis_to_mapping` holds.
    """
    builder = _Builder(analysis, _check_lang(lang))
    meta = analysis.study.metadata
    sections = (
        builder.overview(),
        builder.findings(),
        builder.network(),
        builder.scores(),
        builder.profiles(),
        builder.roles(),
        builder.invitations(),
        builder.quality(),
        builder.method(),
    )
    report = Report(
        title=meta.title or meta.id or _TEXT[lang]["report"],
        subtitle=meta.focal_process,
        description=meta.description,
        lang=lang,
        sections=sections,
    )

    report = report.with_section(reliability_section(analysis, lang), after="quality")
    change = change_section(analysis, lang)
    if change is not None:
        report = report.with_section(change, after="reliability")
    return report
