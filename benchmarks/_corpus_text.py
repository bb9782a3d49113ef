"""Invented news prose for the synthetic corpus: words, names, places and sentences.

Everything here is made up. A :class:`TextBank` is built once per worker from a seed; it
pre-builds a pool of sentences for every section, so writing an article body is mostly
picking sentences, which keeps generation fast. Bodies still differ from one another: each
article gets its own lead sentence, people, place and numbers.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass

__all__ = ["SECTIONS", "Story", "TextBank", "word_list"]

SECTIONS = (
    "world",
    "politics",
    "business",
    "sport",
    "technology",
    "science",
    "health",
    "entertainment",
    "lifestyle",
    "opinion",
)


def word_list(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


_FIRST = word_list(
    "Amara Bastien Corin Dalia Emeric Farah Gideon Halima Ilario Jovana Kasim Lior Marisol Nadim Odessa "
    "Pavel Quilla Rashid Selin Tobias Ulla Vikram Wren Yusra Zoltan Anouk Brannoc Cyrille Deniz Elowen "
    "Faisal Greer Hesper Idris Junia Keoni Lusine Maelle Nikos Orla Perrin Ravi Sunniva Talia Umar Vesna"
)
_LAST = word_list(
    "Abernathy Balogun Castellan Dravik Eskander Fenwright Galdos Hollis Ivanko Jarrah Kessling Lomax "
    "Marchetti Nakashima Oyelaran Petrosyan Quarrie Rahimov Santoro Thorvald Uddin Valtonen Whitcombe "
    "Yardley Zubiri Ashgrove Brennick Corvalan Delacroix Emberly Farooqui Grisholm Hallvard Ilunga"
)
_CITIES = word_list(
    "PORT AVERLY,VELDMARK,SANTA ORIEL,KESTRABAD,NORTH HAVEN,LUMEN CITY,ESKERVILLE,TARRAGH,MIRABEL,"
    "OSTRAVEN,CALDERA BAY,BRIGHTWATER,QUARRYTOWN,AL-MARUF,NOVA TESSIN,HOLLOWAY,DUNMERE,SEVRANCE",
    sep=",",
)
_ORGS = word_list(
    "the Ministry of Coastal Affairs|the Veltran Holdings group|the Northern Assembly|"
    "the Harbour Trade Council|the National Statistics Office|the Federation of Rail Workers|"
    "Quenby Instruments|the Civic Renewal Party|"
    "the Central Reserve Board|the Institute for Applied Tides|Orvale Pharmaceuticals|the Lantern Arts Trust|"
    "the Regional Water Authority|Halcyon Motors|the United Growers Cooperative|the Supreme Electoral Panel",
    sep="|",
)
_ROLES = word_list(
    "spokesperson|chief executive|minister|senior analyst|lead researcher|coach|opposition leader|governor|"
    "chair|director|professor|head of operations|union representative|deputy mayor|chief economist|captain",
    sep="|",
)
_DAYS = word_list("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

# Per-section nouns, verbs and adjectives: enough to make sections distinguishable by their words.
_SECTION_WORDS = {
    "world": (
        "ceasefire border envoy delegation treaty refugees summit embassy sanctions corridor talks "
        "peacekeepers capital province",
        "negotiated|condemned|mediated|evacuated|reaffirmed|withdrew from|signed|rejected",
        "bilateral regional diplomatic humanitarian fragile cross-border",
    ),
    "politics": (
        "coalition ballot parliament senate bill amendment constituency cabinet referendum caucus "
        "budget vote campaign manifesto",
        "tabled|vetoed|endorsed|debated|blocked|passed|campaigned for|challenged",
        "bipartisan electoral legislative provisional contested procedural",
    ),
    "business": (
        "shares earnings revenue merger inflation bond yields tariff supply chain dividend quarter "
        "investors market exporters",
        "reported|forecast|acquired|trimmed|raised|cut|posted|slashed",
        "quarterly fiscal annual volatile wholesale year-on-year",
    ),
    "sport": (
        "striker goalkeeper league semi-final stadium fixture tournament derby championship innings "
        "penalty squad coach season",
        "scored|clinched|defeated|equalised|qualified for|conceded|retained|won",
        "unbeaten decisive stoppage-time home away seeded",
    ),
    "technology": (
        "startup chip software platform smartphone algorithm data centre network satellite encryption "
        "update battery developers",
        "launched|patched|unveiled|shipped|rolled out|acquired|open-sourced|throttled",
        "cloud-based wireless generative low-power proprietary encrypted",
    ),
    "science": (
        "researchers telescope specimen genome glacier experiment particle fossil orbit sediment "
        "enzyme samples probe",
        "discovered|measured|observed|sequenced|replicated|modelled|detected|published",
        "peer-reviewed microscopic interstellar experimental sedimentary atmospheric",
    ),
    "health": (
        "vaccine clinic patients outbreak hospital trial dosage nurses screening immunity diet "
        "infection ward therapy",
        "treated|screened|approved|vaccinated|diagnosed|admitted|recommended|prescribed",
        "clinical chronic preventive infectious dietary paediatric",
    ),
    "entertainment": (
        "premiere album festival director sequel box office soundtrack gallery actor series "
        "audience tour studio",
        "premiered|released|headlined|directed|starred in|cancelled|streamed|debuted",
        "sold-out acclaimed animated live critically long-awaited",
    ),
    "lifestyle": (
        "recipe garden wardrobe travel apartment weekend market bakery wellness cafe ritual "
        "holiday neighbourhood",
        "brewed|renovated|explored|planted|curated|visited|tasted|rearranged",
        "seasonal cosy handmade minimalist homegrown leisurely",
    ),
    "opinion": (
        "policy argument reform citizens accountability debate priorities consensus leadership "
        "institutions future trust",
        "ignored|demanded|overlooked|argued for|warned against|questioned|defended|misjudged",
        "shortsighted overdue necessary misguided principled uncomfortable",
    ),
}

_TEMPLATES = (
    "{Adj} {noun} {verb} the {noun2} after {num} days of {noun3}, officials said.",
    "{Person}, {role} of {org}, {verb} the {adj} {noun} on {day}.",
    "The {noun} was {verb} by {org} in a move that surprised many observers.",
    "According to {org}, the {adj} {noun} affected at least {num} people across the {noun2}.",
    '"We have {verb} the {noun} and we will not stop there," said {Person}.',
    "Critics say the {noun} {verb} the {noun2} without a clear plan for the {noun3}.",
    "Figures released on {day} showed the {noun} rose by {pct} per cent compared with last year.",
    "In {City}, residents {verb} the {adj} {noun} with a mix of relief and caution.",
    "{Person} told reporters that the {noun2} would be reviewed within {num} weeks.",
    "It was the {ordinal} time this year that the {noun} had {verb} the {noun2}.",
    "Analysts at {org} expect the {adj} {noun} to continue well into the next {period}.",
    "The {noun} remains {adj}, and the {noun2} is still under discussion.",
    "Earlier this month, {org} {verb} a {adj} {noun} worth {money}.",
    "Asked about the {noun2}, {Person} declined to comment further.",
    "Speaking at a briefing in {City}, {Person} described the {noun} as {adj} but manageable.",
    "The {noun2} has drawn attention since {org} first raised concerns about it in {month}.",
    "Some {noun} supporters gathered outside the offices of {org} on {day} evening.",
    "A report seen by this newspaper suggests the {noun} could cost {money} over {num} months.",
    "{Person} said the {adj} {noun2} was a matter for {org} to resolve.",
    "Local officials in {City} have not yet said how the {noun} will be funded.",
    "The decision follows weeks of pressure over the {adj} {noun2}.",
    "By late {day}, the {noun} had {verb} the {noun2}, a source familiar with the matter said.",
    "It is not the first {noun} of its kind: a similar {noun2} was {verb} in {City} in {year}.",
    "{org} did not respond to a request for comment on the {noun}.",
    "Observers in {City} noted that the {noun2} remained {adj} despite the {noun3}.",
    "Neither {Person} nor {org} gave a timetable for the {noun}.",
    "The {noun3} comes at a time when the {noun} is already {adj}, {Person} warned.",
    "More than {num} people took part in the {noun} held in {City} last {day}.",
)
_MONTH_NAMES = word_list(
    "January February March April May June July August September October November December"
)
_ORDINALS = word_list("first second third fourth fifth sixth")
_PERIODS = word_list("quarter year season decade month")


@dataclass(slots=True)
class Story:
    """One invented article: what every page format renders from."""

    doc_id: str
    section: str
    title: str
    lead_person: str
    city: str
    paragraphs: list[str]
    caption: str
    authors: list[str]
    published: tuple[int, int, int, int, int]  # year, month, day, hour, minute (UTC)
    updated: tuple[int, int, int, int, int] | None
    #: How the first paragraph opens, set by the site that first publishes the story
    #: (``"CITY: "`` or ``"CITY (Site) - "``); copies keep it, so their bodies stay equal.
    dateline: str = ""


class TextBank:
    """Seeded generator of sentences, headlines and article bodies."""

    def __init__(self, seed: int, sentences_per_section: int = 2000) -> None:
        rng = random.Random(f"textbank:{seed}")
        self._vocab = {
            section: (nouns.split(), verbs.split("|"), adjs.split())
            for section, (nouns, verbs, adjs) in _SECTION_WORDS.items()
        }
        self.pool = {s: [self.sentence(rng, s) for _ in range(sentences_per_section)] for s in SECTIONS}

    def person(self, rng: random.Random) -> str:
        return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"

    def sentence(self, rng: random.Random, section: str, person: str | None = None) -> str:
        nouns, verbs, adjs = self._vocab[section]
        adj = rng.choice(adjs)
        return rng.choice(_TEMPLATES).format(
            Adj=adj.capitalize(),
            adj=adj,
            noun=rng.choice(nouns),
            noun2=rng.choice(nouns),
            noun3=rng.choice(nouns),
            verb=rng.choice(verbs),
            Person=person or self.person(rng),
            role=rng.choice(_ROLES),
            org=rng.choice(_ORGS),
            day=rng.choice(_DAYS),
            City=rng.choice(_CITIES).title(),
            num=rng.randint(2, 480),
            pct=f"{rng.randint(1, 40)}.{rng.randint(0, 9)}",
            ordinal=rng.choice(_ORDINALS),
            period=rng.choice(_PERIODS),
            money=f"${rng.randint(2, 900)} million",
            month=rng.choice(_MONTH_NAMES),
            year=rng.randint(1998, 2022),
        )

    def headline(self, rng: random.Random, section: str) -> str:
        nouns, verbs, adjs = self._vocab[section]
        shapes = (
            f"{rng.choice(_ORGS).replace('the ', '', 1)} {rng.choice(verbs)} {rng.choice(adjs)} "
            f"{rng.choice(nouns)}",
            f"{rng.choice(adjs).capitalize()} {rng.choice(nouns)} {rng.choice(verbs)} in "
            f"{rng.choice(_CITIES).title()}",
            f"{self.person(rng)} {rng.choice(verbs)} {rng.choice(nouns)} as {rng.choice(nouns)} "
            f"{rng.choice(('grows', 'stalls', 'returns', 'fades'))}",
        )
        title = rng.choice(shapes)
        return title[0].upper() + title[1:]

    def story(self, rng: random.Random, doc_id: str, section: str | None = None) -> Story:
        section = section or rng.choice(SECTIONS)
        words = int(min(1200, max(150, rng.lognormvariate(6.0, 0.5))))
        person = self.person(rng)
        city = rng.choice(_CITIES)
        pool = self.pool[section]
        paragraphs: list[str] = []
        count = 0
        # The lead is written fresh for each story; the rest comes from the section's pool.
        sentences = [self.sentence(rng, section, person), self.sentence(rng, section, person)]
        while count < words:
            while len(sentences) < rng.randint(2, 4):
                sentences.append(rng.choice(pool))
            paragraph = " ".join(sentences)
            paragraphs.append(paragraph)
            count += paragraph.count(" ") + 1
            sentences = []
        year, month, day = rng.randint(2023, 2025), rng.randint(1, 12), rng.randint(1, 28)
        published = (year, month, day, rng.randint(0, 23), rng.randint(0, 59))
        updated = None
        if rng.random() < 0.4:
            updated = (year, month, day, min(23, published[3] + rng.randint(1, 6)), rng.randint(0, 59))
        return Story(
            doc_id=doc_id,
            section=section,
            title=self.headline(rng, section),
            lead_person=person,
            city=city,
            paragraphs=paragraphs,
            caption=f"{person} speaks in {city.title()} on {_DAYS[day % 7]}. - Photo by {self.person(rng)}",
            authors=[self.person(rng) for _ in range(rng.choice((0, 1, 1, 1, 2)))],
            published=published,
            updated=updated,
        )

    def near_copy(self, rng: random.Random, story: Story, doc_id: str) -> Story:
        """A near-duplicate: one paragraph added or removed, or one word changed."""
        paragraphs = list(story.paragraphs)
        edit = rng.choice(("add", "remove", "word"))
        if edit == "remove" and len(paragraphs) > 3:
            del paragraphs[rng.randrange(1, len(paragraphs))]
        elif edit == "add":
            paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), self.sentence(rng, story.section))
        else:
            i = rng.randrange(len(paragraphs))
            words = paragraphs[i].split(" ")
            j = rng.randrange(len(words))
            words[j] = rng.choice([w for w in self._vocab[story.section][0] if w != words[j]])
            paragraphs[i] = " ".join(words)
        return dataclasses.replace(story, doc_id=doc_id, paragraphs=paragraphs)
