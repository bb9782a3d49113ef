#!/usr/bin/env python3
"""(Re)generate ``examples/dumps/``: the bundled example dumps users run newsbeam on first.

Everything here is invented: the sites (``*.example``), the people and the events. The
script is deterministic (fixed timestamps, fixed seed, gzip with ``mtime=0``), so running
it twice gives byte-identical files. It also writes ``tests/fixtures/example_dumps_expected.json``,
the description the end-to-end test checks; every count in it is computed from the list of
pages written below, never typed by hand.

Usage::

    python examples/make_dumps.py            # rewrite examples/dumps/ and the fixture
    python examples/make_dumps.py --check    # exit 1 if the files on disk differ
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import random
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
DUMPS = HERE / "dumps"
EXPECTED = HERE.parent / "tests" / "fixtures" / "example_dumps_expected.json"

SEED = 20250314


# --------------------------------------------------------------------------------------
# Articles
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Art:
    key: str
    site: str  # harbourtimes | valleyherald | northwire | courier
    section: str  # taxonomy slug the page's metadata/URL implies
    slug: str
    date: str  # local date used in the URL (YYYY-MM-DD)
    title: str | None
    authors: tuple[str, ...]
    body: str  # paragraphs separated by a blank line
    published: str | None = None  # exactly as the page states it
    modified: str | None = None
    caption: str | None = None
    dateline: str | None = None
    lang: str = "en"
    section_label: str = ""
    url_section: str = ""  # path prefix when it differs from the section slug

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in self.body.strip().split("\n\n")]

    @property
    def label(self) -> str:
        return self.section_label or self.section.capitalize()

    @property
    def url(self) -> str | None:
        y, m, d = self.date.split("-")
        prefix = self.url_section or self.section
        if self.site == "harbourtimes":
            return f"https://www.harbourtimes.example/{prefix}/{y}/{m}/{d}/{self.slug}"
        if self.site == "valleyherald":
            return f"https://www.valleyherald.example/{prefix}/{y}/{m}/{d}/{self.slug}"
        if self.site == "northwire":
            return f"https://northwire.example/{y}/{m}/{d}/{self.slug}"
        return f"https://www.dailycourier.example/{prefix}/{self.date}/{self.slug}"


def _arts(*items: Art) -> dict[str, Art]:
    return {a.key: a for a in items}


A = _arts(
    # ---------------------------------------------------------------- harbourtimes
    Art(
        key="H1",
        site="harbourtimes",
        section="business",
        slug="strait-ferry-operator-orders-hybrid-vessels",
        date="2025-03-14",
        title="Strait ferry operator orders two hybrid vessels in $600m deal",
        authors=("Mere Tawhiri", "James Okafor"),
        published="2025-03-14T09:30:00+13:00",
        modified="2025-03-14T11:05:00+13:00",
        caption=(
            "The Kaimai Star leaves Wellington harbour on its morning sailing. Photo: "
            "Harbour Times / Lena Marsh"
        ),
        body="""
Bluewater Link, the company that runs passenger and freight sailings across Cook Strait, has signed a
contract for two hybrid diesel-electric ferries that it says will cut fuel use on the crossing by almost a
third.

The vessels, to be built at a yard in Ulsan, South Korea, are due for delivery in late 2028 and will replace
the ageing Kaimai Star and its sister ship, which between them have logged more than 60,000 crossings.

Chief executive Rosalind Parata would not disclose the price, but analysts at Fernhill Securities estimated
the order at between $550 million and $600m, making it the largest single investment in the company's
40-year history.

“We have spent three years looking at what a ferry for the next three decades needs to be,” Parata said on
Friday. “The answer is longer, quieter and able to run on battery power in and out of port, where our
neighbours live.”

Each ship will carry up to 1400 passengers and 2.8 kilometres of lane space for trucks and rail wagons,
roughly 40 per cent more than the current fleet. Battery packs will allow the ferries to manoeuvre inside
the harbour without running their main engines.

The order depends on upgrades to the wharves at both ends of the route. Port officials said design work on a
new linkspan in Wellington was under way and that construction could start next year if consents were
granted on schedule.

Freight customers welcomed the news. The Road Freight Council said delays and cancellations on the strait
had cost its members millions of dollars over the past two winters, and that bigger ships with more reliable
engines were long overdue.

Bluewater Link said the current ferries would remain in service until the new vessels had completed sea
trials.
""",
    ),
    Art(
        key="H2",
        site="harbourtimes",
        section="politics",
        slug="council-votes-to-freeze-rates",
        date="2025-03-13",
        title="Council votes to freeze rates after 11-hour sitting",
        authors=("Daniel Whitcombe",),
        published="2025-03-13T22:10:00+13:00",
        caption=(
            "Councillors debate the annual plan at the city chambers on Thursday night. "
            "Photo: Harbour Times / Lena Marsh"
        ),
        body="""
Wellington city councillors voted 9–7 late on Thursday to freeze residential rates for the coming year,
overturning a staff recommendation for a 6.5 per cent increase after a sitting that ran for more than 11
hours.

The decision means the council must find about $24 million in savings or new revenue before the annual plan
is adopted in June. Mayor Teresa Holloway, who voted against the freeze, warned that libraries, pool opening
hours and some road resurfacing would almost certainly be cut.

“This is a promise that sounds generous tonight and will feel very different by winter,” Holloway told the
chamber. “Someone will have to stand in front of the people who lose services and explain it.”

Councillor Rangi Fletcher, who moved the amendment, said households had absorbed three years of double-digit
increases and that the council had to show it could live within its means. He pointed to consultancy
spending, which rose to $11m last year, as an obvious place to start.

More than 300 people made submissions on the draft plan, and the public gallery was full for most of the
evening. Several speakers held signs reading “Fix the pipes first”, a reference to the city's continuing
water main failures.

Council officers will present options for savings at a workshop in April. Any change to water spending would
need the agreement of the regional water entity, which sets its own budget.
""",
    ),
    Art(
        key="H3",
        site="harbourtimes",
        section="science",
        slug="deep-sea-survey-finds-coral-gardens",
        date="2025-03-12",
        title="Deep-sea survey finds coral gardens off Kaikōura coast",
        authors=("Nikau Henare",),
        published="2025-03-12T06:00:00+13:00",
        caption=(
            "A remotely operated vehicle photographs black coral at a depth of 900 metres. "
            "Photo: Coastal Research Institute"
        ),
        body="""
Scientists mapping the seafloor of the Kaikōura Canyon have found dense colonies of black and bubblegum
coral at depths where previous surveys recorded only mud, raising hopes that the area is recovering faster
than expected from the 2016 earthquake.

The three-week voyage, led by the Coastal Research Institute, used a remotely operated vehicle to film more
than 40 kilometres of canyon wall. Researchers counted at least 14 coral species, several of which had not
been recorded in the canyon before.

“We expected to find a landscape still scarred by the slumps that followed the quake,” said chief scientist
Dr Helen Marchetti. “Instead we found young colonies, some no bigger than a hand, growing on rock that was
exposed when the sediment washed away.”

The earthquake triggered a huge underwater avalanche that stripped the canyon floor and carried sediment
hundreds of kilometres along the seabed. Studies in the following years found that animal numbers had
collapsed.

Marchetti said the new colonies were probably less than eight years old, which suggests that larvae drifted
in from undamaged reefs along the continental slope. Samples brought to the surface will be aged using
growth rings over the coming months.

The team has shared its maps with fisheries managers, who are reviewing whether to extend a protected area
that currently covers only the upper part of the canyon.
""",
    ),
    Art(
        key="H4",
        site="harbourtimes",
        section="sport",
        slug="sharks-clinch-semi-final-in-extra-time",
        date="2025-03-15",
        title="Harbour Sharks clinch netball semi-final spot in extra time",
        authors=("Tessa Kingi",),
        published="2025-03-15T21:45:00+13:00",
        caption=(
            "Shooter Maia Ruakere lines up the winning goal in extra time. Photo: Harbour Times / Sam Iverson"
        ),
        body="""
The Harbour Sharks booked a place in the national netball league semi-finals on Saturday night, edging the
Southern Kestrels 58–57 in extra time in front of a sell-out crowd at the Queens Wharf arena.

Shooter Maia Ruakere scored the winning goal with 14 seconds left, capping a comeback from seven goals down
at the start of the final quarter.

“I didn't look at the clock, I just looked at the ring,” said Ruakere, who finished with 41 goals from 44
attempts. “The girls found me all night and I owed them that one.”

The Kestrels had controlled the first three quarters through the tall defensive pairing of Hayley Brandt and
Sina Tuilagi, who forced a string of turnovers under the Sharks' hoop. But coach Denise Amituanai switched
her midcourt at the last break, and the Sharks scored eight of the next ten goals.

Regulation time ended 52–52 after the Kestrels missed a chance to win it from the final centre pass.

The Sharks will meet the top-ranked Canterbury Flyers in Christchurch next Sunday. They have lost both
regular-season games against the Flyers, the second by a single goal.
""",
    ),
    Art(
        key="H5",
        site="harbourtimes",
        section="health",
        slug="hospital-wait-lists-shrink-weekend-clinics",
        date="2025-03-11",
        title="Hospital wait lists shrink as weekend clinics expand",
        authors=("Priyanka Desai",),
        published="2025-03-11T08:00:00+13:00",
        body="""
The number of patients waiting more than four months for a first specialist appointment at Wellington
Regional Hospital has fallen by a quarter since the hospital began running outpatient clinics on Saturdays,
new figures show.

Health authority data released on Tuesday showed 3870 people were waiting beyond the target at the end of
February, down from 5150 in September, when the weekend clinics began as a six-month trial.

The biggest improvements were in orthopaedics, ophthalmology and gynaecology, where surgeons and nurses
agreed to work extra shifts in return for overtime rates and a guaranteed weekday off.

“It is not a miracle, it is simply more hours in the week,” said Dr Samuel Oduya, the hospital's clinical
director of surgery. “The question is whether we can keep staff willing to do it for another year without
burning them out.”

Nurses' union delegate Karen Lusi said members supported the clinics but were worried about fatigue. She
said some staff had worked 12 consecutive days during January because of gaps in the roster.

The health authority said it would decide in April whether to make the weekend clinics permanent and extend
them to Hutt Hospital.
""",
    ),
    Art(
        key="H6",
        site="harbourtimes",
        section="opinion",
        slug="waterfront-deserves-better-than-car-park",
        date="2025-03-10",
        title="Our waterfront deserves better than another car park",
        authors=("Olivia Brennan-Hart",),
        published="2025-03-10T05:00:00+13:00",
        body="""
Every few years someone proposes that the empty lot at the end of Taranaki Wharf should become a car park,
and every few years the city pretends to consider it seriously. This time the proposal comes from the
council's own property arm, which makes it harder to laugh off.

The argument is familiar. Retailers say shoppers cannot find anywhere to park, the lot earns nothing while
it sits empty, and a multi-storey building could be replaced later if a better idea came along. Anyone who
has watched a temporary car park in this city knows how that ends.

The waterfront is the one place where Wellington has consistently got things right. The promenade, the
lagoon, the sheds turned into markets and studios: none of it was inevitable, and all of it was fought for
by people who were told the land was too valuable to leave to pedestrians.

There is a better use for the site, and it is not complicated. Plant it, light it, put a roof over part of
it so people can sit out of the southerly, and let the weekend markets spill into it. The cost would be a
fraction of a parking building and the return, measured in people who stay longer in the city, would be
greater.

Councillors will vote on the proposal next month. They should remember who the waterfront belongs to.
""",
    ),
    Art(
        key="H7",
        site="harbourtimes",
        section="technology",
        slug="port-trials-driverless-straddle-carriers",
        date="2025-03-14",
        title="Port trials driverless straddle carriers alongside human crews",
        authors=("James Okafor",),
        published="2025-03-14T15:20:00+13:00",
        body="""
The city's port company has begun trialling three driverless straddle carriers at its container terminal,
becoming the first port in the country to test the machines alongside human-driven vehicles.

The carriers, which lift and move shipping containers around the yard, are guided by lidar sensors and a
private 5G network that was installed on the wharf last year.

The port said no jobs would be lost during the 12-month trial and that the maritime union had been involved
in writing the safety rules, which keep the automated machines in a fenced section of the yard.

“Our people will be supervising these carriers, fixing them and deciding where they go,” said operations
manager Hemi Walker. “The machines do the repetitive driving. The judgement stays with us.”

Union organiser Craig Dunlop said members were cautiously supportive but wanted a written guarantee that any
future expansion would be negotiated rather than announced. The port board will review the trial next March.
""",
    ),
    Art(
        key="H8",
        site="harbourtimes",
        section="lifestyle",
        slug="the-bakery-that-rises-at-3am",
        date="2025-03-09",
        title="The bakery that rises at 3am",
        authors=("Sophie Lindqvist",),
        published="2025-03-09T07:00:00+13:00",
        caption=(
            "Baker Tomás Aguirre shapes loaves before dawn in his Newtown kitchen. Photo: "
            "Harbour Times / Sam Iverson"
        ),
        body="""
At ten past three on a Tuesday morning, Riddiford Street is silent except for the hum of a single extractor
fan. Behind it, Tomás Aguirre is already elbow-deep in a tub of rye dough that has been fermenting since
lunchtime the day before.

Aguirre, who grew up in Valparaíso and trained in Lyon, opened Pan de Barrio in a former laundromat four
years ago with one oven and a loan from his sister. The shop now sells about 600 loaves a day and has a
queue out the door by half past seven.

“People think the secret is the flour or the starter,” he says, dusting a proving basket. “The secret is
getting up every day. Bread does not care that you are tired.”

The menu is short: a sourdough country loaf, a dark rye with caraway, a seeded spelt and, on weekends, a
Chilean marraqueta that has developed a following among homesick South Americans across the city.

Aguirre employs five people, two of whom came to him through a refugee resettlement programme. He says he
would rather train someone keen than hire someone experienced.

He has turned down offers to supply supermarkets. “Then I would be a factory,” he says. “I want to know the
people who eat my bread.”
""",
    ),
    # ---------------------------------------------------------------- valleyherald
    Art(
        key="V1",
        site="valleyherald",
        section="national",
        url_section="news/national",
        slug="orchard-growers-count-cost-of-late-frost",
        date="2025-03-12",
        title="Orchard growers count cost of late frost",
        authors=("Priya Raman", "Tom Ellery"),
        published="2025-03-12T14:15:00Z",
        caption=(
            "Frost fans run through the night at a cherry orchard near Zillah. (Valley Herald / Marco Diaz)"
        ),
        body="""
Cherry and apricot growers across central Washington are assessing damage after two nights of hard frost
killed blossoms in orchards that had flowered nearly three weeks early.

Temperatures fell to 24 degrees Fahrenheit near Zillah and Wapato early Tuesday, according to the state's
agricultural weather network, well below the point at which open blossoms are destroyed.

“You can cut a flower open and see it straight away: the center goes black,” said Dolores Ochoa, who farms
90 acres of cherries outside Granger. “On some rows I'm seeing eight out of ten gone.”

Growers ran wind machines and sprinklers through both nights, and some hired helicopters to push warmer air
down into the trees at a cost of several thousand dollars an hour.

The regional tree fruit association said it was too early to estimate losses, but that the apricot crop,
which blooms first, was likely to be the worst hit. Apple blossoms, which had not yet opened in most
orchards, appear to have escaped.

Federal disaster assistance is available when a county loses at least 30 percent of a crop, but growers said
the paperwork often took longer than a season. County commissioners are expected to discuss a request for a
disaster declaration next week.
""",
    ),
    Art(
        key="V2",
        site="valleyherald",
        section="entertainment",
        slug="valley-film-festival-unveils-record-program",
        date="2025-03-11",
        title="Valley film festival unveils record program",
        authors=("Jordan Castellanos",),
        published="2025-03-11T18:00:00-07:00",
        caption=(
            "Festival director Annie Whitford announces the lineup at the Capitol Theatre. "
            "(Valley Herald / Marco Diaz)"
        ),
        body="""
The Yakima Valley Film Festival will screen 112 films over ten days in May, its largest program since it
began in a church hall in 2009, organizers announced on Tuesday evening.

The lineup includes 31 feature-length premieres, a strand of documentaries about farming communities and a
retrospective of westerns shot in the Pacific Northwest, several of which have been restored from the
original negatives.

Festival director Annie Whitford said submissions had doubled in two years, helped by a new prize for
first-time directors worth $25,000. “We had films from 46 countries this year,” she said. “Three years ago
that number was 19.”

The opening night film is Harvest Moon Road, a drama about a family of hop growers shot in and around Moxee
last summer with a largely local cast. Its director, Rafael Quintero, grew up in Toppenish and will attend
with the cast.

Screenings will take place at four venues, including a restored drive-in north of Selah that reopened last
year. Festival passes go on sale on March 20.
""",
    ),
    Art(
        key="V3",
        site="valleyherald",
        section="editorial",
        section_label="Editorial",
        url_section="opinion/editorial",
        slug="the-valleys-water-plan-needs-a-deadline",
        date="2025-03-10",
        title="Editorial: The valley's water plan needs a deadline",
        authors=(),
        published="2025-03-10T12:00:00Z",
        body="""
For the fourth year running, the agencies that share the Yakima River basin have promised a long-term water
plan “within the next legislative session.” For the fourth year running, there is no date on the promise,
and the people who depend on the river have learned what that means.

The basin's problems are not mysterious. Snowpack is shrinking, reservoirs are too small to hold a dry
year's worth of water, and the seniority of water rights leaves junior users, including many small farms,
first in line to be cut off when supplies run short. Every study of the past two decades has said the same.

What is missing is not analysis but a timetable. The plan's working group meets quarterly, publishes minutes
and agrees to keep meeting. Nobody is responsible for a finished document, and nobody pays a price when one
fails to appear.

The Legislature should change that. A bill requiring the working group to deliver a plan, with costs and a
funding proposal, by the end of next year would cost nothing and would at least tell everyone where the
hold-ups are.

Growers, tribes and towns have all shown they are willing to compromise. They deserve a process that is
willing to finish.
""",
    ),
    Art(
        key="V4",
        site="valleyherald",
        section="lifestyle",
        slug="fernandez-bottles-first-vintage-from-restored-estate",
        date="2025-02-28",
        title="Winemaker Zoë Fernández bottles first vintage from restored estate",
        authors=("Inés Peñalosa",),
        published="2025-02-28T18:40:00-08:00",
        caption=(
            "Zoë Fernández in the restored barrel room at Bodega Fernández. (Valley Herald / Inés Peñalosa)"
        ),
        body="""
Zoë Fernández remembers the first time she walked into the winery on Konnowac Pass Road. The roof had fallen
in over the barrel room, a family of barn owls lived in the press house, and the vines had not been pruned
in six years.

Five years later, the estate her grandfather José planted in 1978 has released its first wine since the
family sold it in the 1990s: 400 cases of a syrah–grenache blend that Fernández calls Señora, after her
grandmother.

“I didn't know if the old vines would come back,” she said, standing among rows of gnarled trunks. “Some
didn't. But the ones that did give fruit with a depth you can't buy.”

Fernández, who studied oenology in Montpellier and worked harvests in Rioja and the Barossa Valley, bought
the property back with help from a cooperative of small investors, most of them neighbors. She and two
employees have rebuilt the cellar almost entirely by hand.

The wine is sold only at the winery's tasting room, which opens on weekends from March, and through a
mailing list that already has more than 2,000 names. A rosé and a small bottling of old-vine riesling are
planned for the fall.

“It's a café-sized operation with a château-sized name,” Fernández said, laughing. “But that's how my
grandfather would have wanted it.”
""",
    ),
    Art(
        key="V5",
        site="valleyherald",
        section="technology",
        slug="rural-broadband-towers-switched-on",
        date="2025-03-13",
        title="Rural broadband towers switched on in three towns",
        authors=("Tom Ellery",),
        published="2025-03-13T16:20:00Z",
        body="""
Residents of Tieton, Naches and Harrah can now get broadband speeds of up to 300 megabits per second after a
county-funded network of wireless towers was switched on this week, ending years of reliance on satellite
dishes and patchy mobile coverage.

The $14 million project, paid for with federal recovery money, uses fixed wireless links from six new towers
rather than fiber cable, which county officials said would have cost four times as much to lay across
orchards and rangeland.

“My kids were doing homework in the library parking lot,” said Harrah resident Lucia Benally. “Last night my
son uploaded a video assignment from his bedroom. It sounds small, but it isn't.”

Monthly plans start at $45, with a discounted rate for households that qualify for free school meals. About
1,100 homes and businesses have signed up so far, according to the nonprofit cooperative that operates the
network.

Critics on the county commission said wireless technology would struggle to keep pace with demand and that
the money might have been better spent on fiber. Project manager Greg Ostrowski said the towers could be
upgraded as equipment improved.
""",
    ),
    Art(
        key="V6",
        site="valleyherald",
        section="health",
        slug="sunnyside-clinic-recruits-doctors-from-overseas",
        date="2025-03-13",
        title="Sunnyside clinic recruits two doctors from overseas",
        authors=("Priya Raman",),
        published="2025-03-13T09:00:00-07:00",
        body="""
A community health clinic in Sunnyside has hired two family doctors from the Philippines and Kenya, filling
positions that had been vacant for more than two years and reopening a waiting list that closed to new
patients last spring.

Dr. Maricel Santos and Dr. Daniel Kiprotich start work in April after completing a licensing process that
took about 18 months, including supervised practice at a hospital in Spokane.

The Lower Valley Family Clinic serves about 14,000 patients, more than half of them farmworkers and their
families, and is the only practice in town that accepts new Medicaid patients.

“We advertised those jobs in every way we could think of,” said chief executive Rosa Villanueva. “We had one
American applicant in two years, and she took a job in Seattle.”

Rural clinics across the state have turned to international recruitment as older doctors retire. A state
program that pays off medical school loans in exchange for rural service has a waiting list of clinics but
too few applicants.

Villanueva said the clinic hoped to reopen its Saturday hours once both doctors were settled.
""",
    ),
    # ---------------------------------------------------------------- northwire
    Art(
        key="N1",
        site="northwire",
        section="world",
        slug="pacific-ministers-agree-fisheries-monitoring-pact",
        date="2025-03-14",
        title="Pacific ministers agree fisheries monitoring pact",
        authors=("Sione Latu",),
        published="2025-03-14",
        dateline="WELLINGTON",
        body="""
WELLINGTON (Northwire) - Fisheries ministers from 11 Pacific countries agreed on Friday to share satellite
and patrol data on foreign fishing fleets, a move officials said would make it harder for vessels to switch
off their tracking beacons and fish illegally inside national waters.

The agreement, signed after two days of talks in Wellington, creates a joint monitoring centre in Honiara
that will receive feeds from aircraft, patrol boats and commercial satellite imagery paid for by Australia
and New Zealand.

Tuna stocks in the western and central Pacific are worth an estimated $6 billion a year, and licence fees
from foreign fleets make up a large share of government revenue in several island states.

"For a country like ours the ocean is the economy," Kiribati's fisheries minister Taabo Ioane told
reporters. "If we cannot see who is fishing, we cannot be paid for the fish."

Officials said illegal and unreported fishing cost the region hundreds of millions of dollars a year, with
the worst losses in the pockets of high seas between national zones.

The centre is expected to begin operating by the end of the year. Ministers will review the agreement in
2027.
""",
    ),
    Art(
        key="N2",
        site="northwire",
        section="business",
        slug="iron-ore-exports-slip-as-steel-demand-cools",
        date="2025-03-14",
        title="Iron ore exports slip as Chinese steel demand cools",
        authors=("Emily Thornton",),
        published="2025-03-14",
        dateline="SYDNEY",
        body="""
SYDNEY (Northwire) - Australian iron ore exports fell 6 percent in February from a year earlier, government
data showed on Friday, as weaker steel production in China cut demand for the country's biggest export.

Shipments from Port Hedland, the world's largest bulk export terminal, totalled 41.2 million tonnes, down
from 44.0 million tonnes in February last year. Cyclone-related closures in the first week of the month
added to the decline.

Benchmark iron ore prices have fallen about 12 percent since January, trading near $98 a tonne this week, as
Chinese mills cut output to meet limits on steel production and a prolonged property slump weighed on
construction.

"The market is adjusting to a China that simply needs less steel than it did five years ago," said Hamish
Crowley, a commodities analyst at Lindqvist Partners in Sydney. "That is a structural change, not a blip."

Miners have so far kept production steady, betting that lower-cost producers will win market share as
higher-cost mines in other countries close. The Australian dollar slipped 0.3 percent after the data was
released.
""",
    ),
    Art(
        key="N3",
        site="northwire",
        section="world",
        slug="sirop-erable-hiver-trop-doux",
        date="2025-03-14",
        title="Les producteurs de sirop d'érable s'inquiètent d'un hiver trop doux",
        authors=("Émilie Gagnon",),
        published="2025-03-14",
        dateline="MONTRÉAL",
        lang="fr",
        body="""
MONTRÉAL (Northwire) - Les producteurs de sirop d'érable du Québec craignent une saison écourtée après un
hiver marqué par des redoux répétés, qui ont fait couler la sève plusieurs semaines plus tôt que d'habitude.

Selon l'association des producteurs, près d'un tiers des érablières de la Montérégie et de l'Estrie ont
commencé à entailler leurs arbres dès la mi-février, alors que la coulée débute à la fin mars lors d'une
année normale.

« On n'a jamais vu ça aussi tôt », a déclaré Benoît Lachance, qui exploite 8000 entailles près de
Saint-Hyacinthe. « Si le froid revient trop fort, tout s'arrête, et si la chaleur s'installe, la sève
tourne. Il faut des nuits sous zéro et des journées douces. »

Le Québec produit environ les trois quarts du sirop d'érable mondial. La récolte record de l'an dernier
avait permis de reconstituer la réserve stratégique gérée par les producteurs, ce qui devrait limiter toute
hausse des prix pour les consommateurs.

Des chercheurs d'un centre agricole de Saint-Norbert-d'Arthabaska estiment que la période de coulée pourrait
avancer de près d'un mois d'ici la fin du siècle si le réchauffement se poursuit au rythme actuel.

Les producteurs dresseront un premier bilan de la saison à la mi-avril.
""",
    ),
    Art(
        key="N4",
        site="northwire",
        section="science",
        slug="japanese-lunar-rover-survives-second-night",
        date="2025-03-13",
        title="Japanese lunar rover survives second lunar night",
        authors=("Kenji Morita",),
        published="2025-03-13",
        dateline="TOKYO",
        body="""
TOKYO (Northwire) - A small Japanese rover has survived a second two-week lunar night near the moon's south
pole, the country's space agency said on Thursday, a feat few spacecraft without nuclear power sources have
achieved.

The 14-kilogram rover, carried to the moon in January aboard the Tsukimi-2 lander, woke up on Wednesday
after temperatures at its landing site dropped to about minus 170 degrees Celsius, engineers said.

"We designed it hoping for one night, so every day now is a bonus," project manager Ayaka Hirano told a news
conference in Tokyo. She said the rover's battery had lost about a fifth of its capacity and one of its two
cameras was producing blurred images.

The rover has travelled about 300 metres and used a spectrometer to measure hydrogen in the soil, which
scientists believe could indicate water ice a few centimetres below the surface.

Engineers plan to drive it toward a crater rim about 80 metres away before the next sunset, in around 10
days.
""",
    ),
    Art(
        key="N5",
        site="northwire",
        section="sport",
        slug="carrick-century-seals-series-win",
        date="2025-03-12",
        title="Carrick century seals one-day series win for New Zealand",
        authors=("Ben Halloran",),
        published="2025-03-12",
        dateline="AUCKLAND",
        body="""
AUCKLAND (Northwire) - New Zealand beat Sri Lanka by six wickets at Eden Park on Wednesday to take an
unassailable 2-0 lead in their three-match one-day series, with opener Liam Carrick scoring an unbeaten 112.

Chasing 271, New Zealand lost two early wickets before Carrick and captain Josh Pemberton added 148 for the
third wicket to take the game away from the visitors.

Carrick, playing only his ninth international, reached his first century with a six over long-on and
finished the match with 16 balls to spare.

"I've been waiting for that one for a while," Carrick said. "The pitch got better as the night went on and
Josh kept telling me to be patient."

Earlier, Sri Lanka's Nuwan Perera made 88 off 91 balls, but no other batter passed 40 as left-arm spinner
Raj Mehta took 4-39.

The final match of the series is in Hamilton on Saturday, where New Zealand are expected to rest two fast
bowlers.
""",
    ),
    Art(
        key="N6",
        site="northwire",
        section="politics",
        slug="fiji-parliament-passes-electoral-reform",
        date="2025-03-15",
        title="Fiji parliament passes electoral reform bill",
        authors=("Sione Latu",),
        published="2025-03-15",
        dateline="SUVA",
        body="""
SUVA (Northwire) - Fiji's parliament passed a bill on Saturday that lowers the voting age to 17 and creates
four new constituencies, ending months of debate over how the country elects its lawmakers.

The bill passed by 33 votes to 20 after an all-night sitting, with two opposition members crossing the floor
to support it.

The government says the changes will give rural and island communities stronger representation. Critics said
the new boundaries favour areas where the governing coalition is strong and that the bill was rushed through
without enough public consultation.

"Young people pay taxes, work and serve in our communities. They deserve a say," Attorney-General Vilimone
Naivalu told parliament before the vote.

Opposition leader Adi Salote Rokotuni said her party would ask the Supreme Court to review whether the
boundaries complied with the constitution. The changes are due to take effect before the next general
election.

Election officials said they would need at least six months to redraw maps, register new voters and train
polling staff in the four new constituencies.
""",
    ),
    Art(
        key="N7",
        site="northwire",
        section="world",
        slug="tonga-declares-emergency-after-cyclone",
        date="2025-03-15",
        title="Tonga declares state of emergency after cyclone",
        authors=("Sione Latu",),
        published="2025-03-15",
        dateline="NUKU'ALOFA",
        body="""
NUKU'ALOFA (Northwire) - Tonga declared a state of emergency on Saturday after a cyclone tore roofs from
homes, brought down power lines and flooded low-lying villages on the main island of Tongatapu.

There were no confirmed deaths, but officials said communications with the outer islands of Ha'apai had been
cut since Friday night and that a patrol boat had been sent to assess the damage.

"Our first job is to reach people we cannot hear from," the head of the national emergency office said.
Schools will stay closed on Monday and evacuation centres will remain open until power is restored.

New Zealand and Australia said they were ready to send relief flights once the airport runway had been
cleared of debris.

The Red Cross said it had pre-positioned tarpaulins, water containers and hygiene kits in Nuku'alofa before
the storm and would begin distributing them on Sunday to families whose homes had been damaged.
""",
    ),
    # ---------------------------------------------------------------- dailycourier (text dumps)
    Art(
        key="T1",
        site="courier",
        section="national",
        slug="green-line-corridor-opens",
        date="2025-03-11",
        title=None,
        authors=(),
        dateline="LAHORE",
        caption=(
            "Commuters wait at a newly opened bus station on Ferozepur Road in Lahore on "
            "Tuesday. - Courier Photo"
        ),
        body="""
LAHORE: The provincial government on Tuesday opened the first six stations of the city's new Green Line bus
corridor, promising that the full 27-kilometre route would be running by the end of the year.

The adviser on transport, Salman Qureshi, said the stations would carry an estimated 40,000 passengers a day
in the first phase, rising to 150,000 once the route connected with the railway station and the metro bus.

Fares have been fixed at Rs40 for any journey, with free travel for students and people with disabilities
who register for a smart card.

Traders along Ferozepur Road, whose shops were shuttered for months during construction, said business had
suffered badly. “We were told it would take six months; it has taken two years,” said Imran Butt, who sells
electrical goods near Ichhra.

Officials said the remaining stations would open in three phases and that a feeder service would link the
corridor with residential areas in Township and Johar Town.

The project has been funded through a loan from a development bank, which officials said would be repaid
over 25 years.
""",
    ),
    Art(
        key="T2",
        site="courier",
        section="business",
        slug="textile-exports-rise",
        date="2025-03-12",
        title=None,
        authors=(),
        dateline="KARACHI",
        caption="Containers are stacked at a terminal at Karachi port. - Courier Photo",
        body="""
KARACHI: Textile exports rose 11 per cent in February compared with the same month last year, data released
by the statistics bureau on Wednesday showed, as mills benefited from lower energy prices and a rebound in
orders from Europe.

Exports of knitwear and bedwear led the increase, while sales of raw cotton yarn fell as more mills turned
their own yarn into finished products.

“The orders are coming back, but margins are still thin,” said Faisal Memon, chairman of a regional
exporters’ association. “Buyers know we need the business and they negotiate hard.”

Industry officials said the government's decision to cut electricity tariffs for export-oriented industries
in January had made the biggest difference, reducing costs by about eight rupees per unit for many
factories.

Economists cautioned that the gains could be short-lived if the rupee strengthened or if energy subsidies
were withdrawn under the terms of an international lending programme.

Total exports for the first eight months of the fiscal year stood at $21.3 billion, up 9pc from a year
earlier.
""",
    ),
    Art(
        key="T3",
        site="courier",
        section="world",
        slug="storm-bangladesh-coast",
        date="2025-03-13",
        title=None,
        authors=(),
        dateline="DHAKA",
        caption=(
            "Villagers salvage belongings from a damaged house near Cox’s Bazar on Thursday. - Courier Photo"
        ),
        body="""
DHAKA: At least 23 people were killed and thousands were left homeless after a tropical storm struck
Bangladesh's southern coast overnight, disaster management officials said on Thursday.

The storm made landfall near Cox’s Bazar with winds of up to 110 kilometres an hour, flattening bamboo and
tin homes and uprooting trees across three districts.

More than 400,000 people had been moved to cyclone shelters before the storm hit, which officials said had
prevented a far higher death toll.

“The early warning worked, but the houses of the poorest people cannot stand this kind of wind,” said a
district administrator, Shahidul Alam.

Aid agencies said camps housing Rohingya refugees had suffered damage to shelters and latrines, raising
fears of disease outbreaks in the coming weeks.

The meteorological department said the storm had weakened as it moved north-east towards Myanmar.

The government has announced cash grants of Tk25,000 for each family whose home was destroyed, and the army
has been deployed to clear roads and restore power lines in the worst-affected areas.
""",
    ),
    Art(
        key="T4",
        site="courier",
        section="entertainment",
        slug="music-festival-opens",
        date="2025-03-14",
        title=None,
        authors=(),
        dateline="ISLAMABAD",
        caption="Singer Hadiqa Noor performs on the festival’s opening night in Islamabad. - Courier Photo",
        body="""
ISLAMABAD: A three-day music festival opened in the capital on Friday with performances by more than 40
artists, drawing what organisers said was the largest crowd the event had seen since it began a decade ago.

The festival, held on the heritage museum grounds, features folk musicians from Balochistan and
Gilgit-Baltistan alongside pop and rock bands from Lahore and Karachi.

Singer Hadiqa Noor, who headlined the opening night, said the festival was one of the few stages where young
audiences heard regional languages. “Half of these kids have never heard a Brahui song live. Tonight they
sang along,” she said.

Organisers said ticket sales had crossed 18,000 and that a portion of the proceeds would go to a fund for
ageing folk artists, many of whom live without pensions.

The festival continues until Sunday, with a qawwali night planned for the final evening.

Police said more than 600 officers had been deployed around the venue, and shuttle buses would run from the
city centre every twenty minutes until midnight.
""",
    ),
    Art(
        key="T5",
        site="courier",
        section="politics",
        slug="senate-committee-rejects-retail-tax",
        date="2025-03-12",
        title=None,
        authors=(),
        dateline="ISLAMABAD",
        caption="Senators attend a session at Parliament House in Islamabad. - Courier Photo",
        body="""
ISLAMABAD: The Senate's finance committee on Wednesday rejected a proposal to impose a new tax on retailers'
electricity bills, sending the measure back to the finance ministry for revision ahead of the budget.

Committee members from both the treasury and opposition benches said the tax, which would have added between
Rs3,000 and Rs6,000 to monthly bills for small shops, would fall hardest on traders who already paid tax
through other channels.

“You cannot keep squeezing the same people who are already in the net,” said Senator Farhat Abbasi, who
chairs the committee. “Find the ones who are not paying at all.”

Finance ministry officials told the committee the measure was intended to bring an estimated 300,000
retailers into the tax system and could raise up to Rs50 billion a year.

Traders’ organisations had threatened a nationwide shutter-down strike if the tax was approved.

The committee asked the ministry to return with an alternative proposal within two weeks.
""",
    ),
    Art(
        key="T6",
        site="courier",
        section="health",
        slug="measles-vaccination-drive",
        date="2025-03-11",
        title=None,
        authors=(),
        dateline="PESHAWAR",
        caption="A health worker gives a vaccine to a child at a clinic in Peshawar. - Courier Photo",
        body="""
PESHAWAR: Health authorities on Monday launched a two-week vaccination drive targeting 1.2 million children
in eight districts after a rise in measles cases since the start of the year.

Provincial health department figures show 640 confirmed cases and nine deaths in January and February,
compared with 210 cases in the same period last year.

Teams of vaccinators will go door to door and set up camps at schools, mosques and bus stations. Children
between nine months and five years old will receive a dose regardless of their vaccination history.

“Measles spreads faster than almost anything else we deal with,” said Dr Ayesha Khattak, who heads the
provincial immunisation programme. “One child can infect a whole classroom.”

Officials said gaps in routine immunisation during floods two years ago had left many children unprotected.

Parents can also take children to any government health facility during the campaign.

The provincial government has asked religious scholars to encourage vaccination in Friday sermons, after
refusals by some families slowed a similar drive last year.
""",
    ),
    Art(
        key="T7",
        site="courier",
        section="technology",
        slug="startup-solar-irrigation-pumps",
        date="2025-03-14",
        title=None,
        authors=(),
        dateline="MULTAN",
        caption="A farmer checks a solar-powered pump in a field near Multan. - Courier Photo",
        body="""
MULTAN: A Lahore-based start-up has raised $4.5 million to expand a service that lets farmers rent
solar-powered irrigation pumps by the season and pay through their mobile phones.

The company, Dhoop Energy, says about 3,200 farmers in southern Punjab now use its pumps, which replace
diesel engines that can cost small growers more than half of their annual income to run.

The funding round was led by a Singapore-based climate fund, with participation from two local investors.

“A farmer with ten acres cannot afford to buy a solar system outright, but he can afford what he was already
paying for diesel,” said co-founder Mahnoor Siddiqui. “We take that number and make it cheaper.”

Each pump is fitted with a sensor that shuts it off if the farmer misses payments, a feature the company
says has kept defaults below 4 per cent.

The start-up plans to expand into Sindh later this year, starting with cotton growers around Sanghar, and
says it will hire 40 field technicians to install and maintain the pumps.
""",
    ),
)

# The wire story republished by the Valley Herald: same body as N1, the paper's own headline.
N1_VH = Art(
    key="N1@valleyherald",
    site="valleyherald",
    section="world",
    url_section="news/world",
    slug="pacific-nations-to-share-data-on-foreign-fishing-fleets",
    date="2025-03-14",
    title="Pacific nations to share data on foreign fishing fleets",
    authors=("Sione Latu",),
    published="2025-03-14T03:40:00Z",
    dateline="WELLINGTON",
    body=A["N1"].body,
)


# --------------------------------------------------------------------------------------
# Sidebars, comments, teasers: the boilerplate the parser must leave out
# --------------------------------------------------------------------------------------

HT_MOST_READ = [
    "Motorway closure to last all weekend as crews replace bridge joints",
    "Five things to know before the new bus timetable starts on Monday",
    "Landlords face fines under tougher healthy homes checks",
    "Rugby star signs three-year deal with French club",
    "Tiny house village approved for Kilbirnie after long fight",
    "Why the price of butter keeps climbing",
    "Cruise ship season ends with record passenger numbers",
    "Coroner calls for lifejacket law after kayak deaths",
]

HT_COMMENTS = [
    ("kiwi_dad_72", "Been saying this for years. Nobody at the council listens until it is too late."),
    ("Harbourside Resident", "Great reporting, thank you. Would love a follow-up in six months."),
    ("mtvic_jo", "I read the whole thing and still don't know who is paying for it."),
    ("Tama R.", "My uncle worked on the old boats for thirty years. End of an era."),
    ("ferrygodmother", "Correction: the meeting was on Wednesday, not Thursday. Otherwise spot on."),
]

VH_OPINION = [
    (
        "/opinion/columns/2025/03/11/roads-budget",
        "Guest column: Our county roads budget is a slow-motion crisis",
    ),
    ("/opinion/columns/2025/03/09/library-hours", "Letters: Keep the library open on Sundays"),
    (
        "/opinion/columns/2025/03/07/school-boundaries",
        "Guest column: New school boundaries split a neighborhood",
    ),
    ("/opinion/columns/2025/03/05/trail-funding", "Letters: The rail trail is worth every penny"),
]

VH_EDITORIAL = [
    (
        "Fund the crisis line properly",
        "Calls to the county's crisis line doubled in two years. Its budget did not.",
        "Updated Mar 11, 2025",
    ),
    (
        "A fair deal for seasonal workers",
        "Housing for the people who pick our fruit should not be an afterthought every spring.",
        "Mar 10, 2025",
    ),
    (
        "Yes on the fire levy",
        "The levy is modest and the need is obvious after last summer's fires.",
        "Updated Mar 8, 2025",
    ),
    (
        "Open the books on the fairgrounds",
        "Taxpayers own the fairgrounds. They deserve to see how the money is spent.",
        "Mar 6, 2025",
    ),
]

VH_MOST_READ = [
    "Police identify driver in fatal crash on Highway 12",
    "New brewery to open in former fire station downtown",
    "Wildcats fall short in state semifinal",
    "Hop growers brace for lower prices",
    "What's open and closed on Presidents Day",
    "Sheriff's deputies rescue hikers stranded near Cowiche Canyon",
]

NW_RELATED = [
    ("/2025/03/14/samoa-central-bank-holds-rates", "Samoa central bank holds rates steady"),
    ("/2025/03/13/png-lng-output-rises", "Papua New Guinea LNG output rises in February"),
    ("/2025/03/13/vanuatu-quake-no-tsunami", "Strong quake shakes Vanuatu, no tsunami threat"),
    ("/2025/03/12/nz-dairy-auction-prices-steady", "Global dairy auction prices steady"),
]

COURIER_OPINION = [
    (
        "Rethinking the tax net",
        (
            "Broadening the base means making compliance easy for small businesses, not "
            "punishing those who already pay."
        ),
    ),
    (
        "Cities without shade",
        "Our planners must treat trees as infrastructure, not decoration, as summers grow hotter.",
    ),
]

COURIER_EDITORIAL = [
    (
        "Water at the tail end",
        "Updated 12 Mar, 2025",
        (
            "FARMERS at the tail end of the canal system have again been left waiting while "
            "influential growers upstream..."
        ),
    ),
    (
        "Exam season stress",
        "12 Mar, 2025",
        (
            "The board must publish its grading scheme in advance so that students know "
            "exactly what is expected of them."
        ),
    ),
    (
        "Power sector debt",
        "Updated 11 Mar, 2025",
        (
            "CIRCULAR debt in the power sector has crossed a figure that should alarm anyone "
            "who pays an electricity bill..."
        ),
    ),
    (
        "Heritage in ruins",
        "11 Mar, 2025",
        (
            "Neglect has done more damage to the old city's havelis than any earthquake, and "
            "the clock is running out."
        ),
    ),
]


def _t(text: str) -> str:
    """Escape text content (quotes stay as they are, as most sites print them)."""
    return escape(text, quote=False)


def _rotate(items: list, n: int) -> list:
    n %= len(items)
    return items[n:] + items[:n]


def _fmt_date_long(date: str) -> str:
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    y, m, d = date.split("-")
    return f"{int(d)} {months[int(m) - 1]} {y}"


def _fmt_date_us(date: str) -> str:
    months = [
        "Jan.",
        "Feb.",
        "March",
        "April",
        "May",
        "June",
        "July",
        "Aug.",
        "Sept.",
        "Oct.",
        "Nov.",
        "Dec.",
    ]
    y, m, d = date.split("-")
    return f"{months[int(m) - 1]} {int(d)}, {y}"


def _byline(authors: tuple[str, ...]) -> str:
    if len(authors) <= 1:
        return "".join(authors)
    return ", ".join(authors[:-1]) + " and " + authors[-1]


def _slugify(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


# --------------------------------------------------------------------------------------
# harbourtimes.example: broadsheet with full JSON-LD
# --------------------------------------------------------------------------------------

HT_SECTIONS = [
    "National",
    "World",
    "Politics",
    "Business",
    "Sport",
    "Technology",
    "Science",
    "Health",
    "Opinion",
]


def _ht_head(title: str, canonical: str, description: str, og_type: str, extra: str = "") -> str:
    return f"""<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | Harbour Times</title>
<meta name="description" content="{escape(description)}">
<link rel="canonical" href="{canonical}">
<meta property="og:type" content="{og_type}">
<meta property="og:site_name" content="Harbour Times">
<link rel="preload" href="/static/fonts/harbour-serif.woff2" as="font" type="font/woff2" crossorigin>
<link rel="stylesheet" href="/static/css/main.4f2a1c.css">
<link rel="icon" href="/favicon.ico">
{extra}<script async src="https://metrics.harbourtimes.example/ht-analytics.js"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){{dataLayer.push(arguments);}}
  gtag('js', new Date()); gtag('config', 'HT-000000');
</script>
</head>"""


def _ht_chrome_top(active: str) -> str:
    active_attr = ' class="active"'
    items = "\n".join(
        f'      <li{active_attr if s.lower() == active else ""}><a href="/{s.lower()}/">{s}</a></li>'
        for s in HT_SECTIONS
    )
    return f"""<div id="cookie-consent" class="cookie-banner" role="dialog" aria-live="polite">
  <p>We use cookies to personalise content and ads and to analyse our traffic.
    You can change your choices at any time.</p>
  <button class="btn accept">Accept all</button> <button class="btn manage">Manage preferences</button>
</div>
<a class="skip-link" href="#main">Skip to content</a>
<header class="masthead">
  <div class="masthead-top"><span class="weather">Wellington 17° Fine, southerly later</span>
    <a class="subscribe" href="/subscribe">Subscribe from $1 a week</a> <a href="/login">Log in</a></div>
  <a class="logo" href="/"><img src="/static/img/harbour-times-logo.svg" alt="Harbour Times"></a>
  <nav class="primary-nav" aria-label="Sections">
    <ul>
{items}
    </ul>
  </nav>
</header>"""


def _ht_footer() -> str:
    return """<footer class="site-footer">
  <nav class="footer-links"><a href="/about">About us</a> | <a href="/contact">Contact the newsroom</a> |
    <a href="/advertise">Advertise</a> | <a href="/privacy">Privacy policy</a> |
    <a href="/terms">Terms of use</a></nav>
  <p>Harbour Times is a member of the Media Council and subscribes to its principles.</p>
  <p class="copyright">© 2025 Harbour Times Media Ltd. All rights reserved.</p>
</footer>
<script src="/static/js/app.91b7e0.js" defer></script>"""


def ht_article(a: Art, variant: int = 0) -> str:
    url = a.url
    jsonld = {
        "@context": "https://schema.org",
        "@type": "OpinionNewsArticle" if a.section == "opinion" else "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": a.title,
        "description": a.paragraphs[0][:150].rsplit(" ", 1)[0] + "…",
        "datePublished": a.published,
        "dateModified": a.modified or a.published,
        "author": [
            {"@type": "Person", "name": n, "url": f"https://www.harbourtimes.example/authors/{_slugify(n)}"}
            for n in a.authors
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": "Harbour Times",
            "logo": {
                "@type": "ImageObject",
                "url": "https://www.harbourtimes.example/static/img/logo-600.png",
            },
        },
        "articleSection": a.label,
        "inLanguage": "en-NZ",
        "isAccessibleForFree": True,
        "articleBody": "\n\n".join(a.paragraphs),
    }
    if a.caption:
        jsonld["image"] = {
            "@type": "ImageObject",
            "url": f"https://cdn.harbourtimes.example/images/{a.slug}-1200.jpg",
            "caption": a.caption,
        }
    crumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": "https://www.harbourtimes.example/"},
            {
                "@type": "ListItem",
                "position": 2,
                "name": a.label,
                "item": f"https://www.harbourtimes.example/{a.section}/",
            },
        ],
    }
    extra = (
        f'<meta property="og:title" content="{escape(a.title)}">\n'
        f'<script type="application/ld+json">{json.dumps(jsonld, ensure_ascii=False, indent=1)}</script>\n'
        f'<script type="application/ld+json">{json.dumps(crumbs, ensure_ascii=False)}</script>\n'
    )
    head = _ht_head(a.title, url, jsonld["description"], "article", extra)
    byline = " and ".join(f'<a rel="author" href="/authors/{_slugify(n)}">{escape(n)}</a>' for n in a.authors)
    figure = ""
    if a.caption:
        figure = f"""
    <figure class="lead-image">
      <img src="https://cdn.harbourtimes.example/images/{a.slug}-1200.jpg" alt=""
        width="1200" height="800" loading="eager">
      <figcaption>{_t(a.caption)}</figcaption>
    </figure>"""
    paras = "\n".join(f"      <p>{_t(p)}</p>" for p in a.paragraphs)
    most_read = "\n".join(
        f'        <li><a href="/news/{_slugify(t)}">{_t(t)}</a></li>'
        for t in _rotate(HT_MOST_READ, variant * 3)[:5]
    )
    comments = _rotate(HT_COMMENTS, variant + len(a.slug))[:3]
    comment_html = "\n".join(
        f"""    <div class="comment"><p class="comment-author">{_t(u)}</p>
    <p class="comment-time">2 hours ago</p>
      <p class="comment-text">{_t(t)}</p><button>Reply</button> <button>Like</button></div>"""
        for u, t in comments
    )
    label = "Opinion" if a.section == "opinion" else a.label
    kind = (
        '<p class="column-label">Opinion: the views expressed are the writer\'s own</p>'
        if a.section == "opinion"
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en">
{head}
<body class="article-page section-{a.section}">
{_ht_chrome_top(a.section)}
<main id="main">
  <nav class="breadcrumb" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li>
    <a href="/{a.section}/">{label}</a></li></ol></nav>
  <article class="story">
    <header class="story-header">
      {kind}
      <h1 class="headline">{_t(a.title)}</h1>
      <p class="byline">By {byline}</p>
      <p class="dateline-meta"><time datetime="{a.published}">{_fmt_date_long(a.date)}</time></p>
    </header>{figure}
    <div class="story-body">
{paras}
    </div>
    <div class="share-tools" aria-label="Share this story">
      <a href="https://facebook.example/share?u={url}">Share on Facebook</a>
      <a href="https://x.example/intent?u={url}">Share on X</a>
      <a href="mailto:?subject={escape(a.title)}">Email this story</a>
    </div>
    <p class="story-tags">Topics: <a href="/topic/{a.section}">{label}</a>
    <a href="/topic/wellington">Wellington</a></p>
  </article>
  <aside class="sidebar">
    <section class="most-read">
      <h2>Most read</h2>
      <ol>
{most_read}
      </ol>
    </section>
    <section class="promo">
      <h2>The Harbour Times Morning Briefing</h2>
      <p>The stories that matter, before your first coffee. Sign up free.</p>
      <form action="/newsletters/subscribe" method="post">
    <input type="email" name="email" placeholder="Your email"><button>Sign up</button></form>
    </section>
    <div class="ad-slot" id="ad-mrec-1" data-ad-unit="/1234/ht/{a.section}/mrec"></div>
  </aside>
  <section id="comments" class="comments">
    <h2>Comments ({len(comments)})</h2>
    <p class="comments-policy">Comments are moderated. Please keep it civil and on topic.</p>
{comment_html}
  </section>
</main>
{_ht_footer()}
</body>
</html>
"""


HT_BUSINESS_FRONT = [
    (
        "Strait ferry operator orders two hybrid vessels in $600m deal",
        "Biggest investment in company's history.",
    ),
    (
        "Port trials driverless straddle carriers alongside human crews",
        "Twelve-month trial on the container wharf.",
    ),
    ("Why the price of butter keeps climbing", "Global dairy prices and a weak dollar."),
    ("Retail spending dips for third month", "Shoppers hold back on big-ticket items."),
    ("Kiwifruit exporter upgrades profit forecast", "Strong demand in Asia lifts outlook."),
    ("Airline adds Hobart route for winter", "Two flights a week from June."),
    ("Office vacancies rise in the central city", "Landlords offer longer rent-free periods."),
    ("Start-up raises $8m for seaweed packaging", "Backers include two super funds."),
]


def ht_section_front() -> str:
    url = "https://www.harbourtimes.example/business/"
    items = "\n".join(
        f"""    <li class="teaser"><a href="/business/2025/03/{14 - i:02d}/{_slugify(t)}"><h3>{_t(t)}</h3></a>
      <p class="teaser-summary">{_t(s)}</p><time datetime="2025-03-{14 - i:02d}">{14 - i} March</time></li>"""
        for i, (t, s) in enumerate(HT_BUSINESS_FRONT)
    )
    return f"""<!DOCTYPE html>
<html lang="en">
{_ht_head("Business", url, "Business news from Wellington and around the country.", "website")}
<body class="section-front section-business">
{_ht_chrome_top("business")}
<main id="main">
  <h1 class="section-title">Business</h1>
  <ul class="teaser-list">
{items}
  </ul>
  <nav class="pagination"><a href="/business/?page=2">Older stories</a></nav>
</main>
{_ht_footer()}
</body>
</html>
"""


# --------------------------------------------------------------------------------------
# valleyherald.example: meta tags only, <article> with byline, figure, rail with Opinion/Editorial
# --------------------------------------------------------------------------------------

VH_NAV = [
    "News",
    "Local",
    "World",
    "Business",
    "Sports",
    "Entertainment",
    "Lifestyle",
    "Opinion",
    "Obituaries",
]


def _vh_chrome_top() -> str:
    nav = "\n".join(f'    <a href="/{n.lower()}/">{n}</a>' for n in VH_NAV)
    return f"""<div class="gdpr-notice" id="consent">This website uses cookies to improve your experience
  and to show you   relevant advertising. <a href="/privacy">Learn more</a>
    <button onclick="acceptConsent()">Got it</button></div>
<div class="top-bar"><span>Yakima 41°F Partly cloudy</span> <a href="/e-edition">e-Edition</a>
  <a href="/subscribe" class="cta">Subscribe: 99¢ for 3 months</a></div>
<header class="site-header">
  <a href="/" class="brand">The Valley Herald</a>
  <nav class="main-menu">
{nav}
  </nav>
  <form class="search" action="/search"><input name="q" placeholder="Search"></form>
</header>"""


def _vh_footer() -> str:
    return """<footer class="site-footer">
  <div class="footer-cols">
    <div><h4>Sections</h4><a href="/news/">News</a> <a href="/sports/">Sports</a>
    <a href="/opinion/">Opinion</a></div>
    <div><h4>Services</h4><a href="/subscribe">Subscribe</a> <a href="/advertise">Advertise with us</a>
      <a href="/contact">Contact us</a> <a href="/corrections">Corrections</a></div>
  </div>
  <p>© 2025 The Valley Herald, Yakima, Washington. All rights reserved.
    Use of this site constitutes acceptance of
    our Terms of Service and Privacy Policy.</p>
</footer>
<script src="/assets/vh-consent.js"></script>"""


def _vh_head(title: str, url: str, og_type: str, charset: str, meta: str = "") -> str:
    return f"""<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} - The Valley Herald</title>
<meta property="og:title" content="{escape(title)}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="The Valley Herald">
<meta property="og:type" content="{og_type}">
{meta}<meta name="twitter:card" content="summary_large_image">
<link rel="stylesheet" href="/assets/vh-2025.03.min.css">
<script src="/assets/vh-bundle.min.js" defer></script>
<script>var googletag = googletag || {{}}; googletag.cmd = googletag.cmd || [];</script>
</head>"""


def vh_article(a: Art, variant: int = 0, charset: str = "utf-8") -> str:
    url = a.url
    meta = f'<meta property="og:image" content="https://media.valleyherald.example/{a.slug}.jpg">\n'
    meta += f'<meta property="article:published_time" content="{a.published}">\n'
    meta += f'<meta property="article:section" content="{a.label}">\n'
    if a.authors:
        meta += f'<meta name="author" content="{escape(", ".join(a.authors))}">\n'
    head = _vh_head(a.title, url, "article", charset, meta)
    byline = f'<span class="byline">By {escape(_byline(a.authors))}</span> · ' if a.authors else ""
    if a.key.startswith("N"):
        byline = f'<span class="byline">By {escape(_byline(a.authors))}, Northwire</span> · '
    figure = ""
    if a.caption:
        figure = f"""
  <figure class="post-image">
    <img src="https://media.valleyherald.example/{a.slug}.jpg" alt="">
    <figcaption>{_t(a.caption)}</figcaption>
  </figure>"""
    paras = [f"  <p>{_t(p)}</p>" for p in a.paragraphs]
    newsletter = """  <div class="newsletter-box">
    <h3>Get the Valley Herald Morning Briefing</h3>
    <p>The day's top local stories, delivered to your inbox by 6 a.m. every weekday.</p>
    <form action="/newsletters"><input type="email" placeholder="Email address">
    <button>Sign me up</button></form>
  </div>"""
    paras.insert(3, newsletter)
    body = "\n".join(paras)
    opinion = "\n".join(
        f'      <li><a href="{h}">{_t(t)}</a></li>' for h, t in _rotate(VH_OPINION, variant * 2)[:3]
    )
    editorial = "\n".join(
        f"""    <div class="teaser"><a href="/opinion/editorial/{_slugify(t)}">{_t(t)}</a>
      <p>{_t(b)}</p><span class="updated">{u}</span></div>"""
        for t, b, u in _rotate(VH_EDITORIAL, variant)[:3]
    )
    most_read = "\n".join(f"      <li>{_t(t)}</li>" for t in _rotate(VH_MOST_READ, variant * 3)[:4])
    return f"""<!doctype html>
<html lang="en">
{head}
<body>
{_vh_chrome_top()}
<div class="layout">
<article class="post">
  <div class="kicker"><a href="/{a.url_section or a.section}/">{a.label}</a></div>
  <h1 class="post-title">{_t(a.title)}</h1>
  <div class="post-meta">{byline}<span class="date">{_fmt_date_us(a.date)}</span></div>
  <div class="share-bar"><button data-share="facebook">Facebook</button> <button data-share="x">X</button>
    <button data-share="email">Email</button> <button data-share="copy">Copy link</button></div>{figure}
{body}
</article>
<aside class="rail">
  <div class="opinion-links">
    <h2>Opinion</h2>
    <ul>
{opinion}
    </ul>
  </div>
  <div class="editorial-teasers">
    <h2>Editorial</h2>
{editorial}
  </div>
  <div class="most-popular">
    <h2>Most popular</h2>
    <ol>
{most_read}
    </ol>
  </div>
</aside>
</div>
{_vh_footer()}
</body>
</html>
"""


VH_FROST_TAG = [
    ("Orchard growers count cost of late frost", "2025-03-12", "news/national"),
    ("Frost warning issued for lower valley", "2025-03-10", "news/local"),
    ("How wind machines protect blossoms on cold nights", "2025-03-08", "news/local"),
    ("Early bloom puts cherry crop at risk", "2025-03-03", "news/national"),
    ("From 2023: The frost that wiped out the apricot harvest", "2023-04-02", "news/local"),
]


def vh_tag_page() -> str:
    url = "https://www.valleyherald.example/tag/frost/"
    items = "\n".join(
        f'    <li><a href="/{p}/{d.replace("-", "/")}/{_slugify(t)}">{_t(t)}</a> '
        f'<time datetime="{d}">{_fmt_date_us(d)}</time></li>'
        for t, d, p in VH_FROST_TAG
    )
    return f"""<!doctype html>
<html lang="en">
{_vh_head("Frost", url, "website", "utf-8")}
<body class="tag-page">
{_vh_chrome_top()}
<main class="archive">
  <h1>Stories tagged: frost</h1>
  <ul class="archive-list">
{items}
  </ul>
  <a class="more" href="/tag/frost/page/2/">Load more</a>
</main>
{_vh_footer()}
</body>
</html>
"""


# --------------------------------------------------------------------------------------
# northwire.example: wire agency, minimal markup, date in the URL and a <time>
# --------------------------------------------------------------------------------------


def nw_article(a: Art, declare_charset: bool = True) -> str:
    meta = '<meta charset="utf-8">\n' if declare_charset else ""
    months = {"en": "January February March April May June July August September October November December"}
    months["fr"] = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    y, m, d = a.date.split("-")
    shown = f"{int(d)} {months[a.lang].split()[int(m) - 1]} {y}"
    related = "\n".join(f'<li><a href="{h}">{_t(t)}</a></li>' for h, t in NW_RELATED if a.slug not in h)
    paras = "\n".join(f"<p>{_t(p)}</p>" for p in a.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{a.lang}">
<head>
{meta}<title>{escape(a.title)} | Northwire</title>
<link rel="stylesheet" href="/s/nw.css">
</head>
<body>
<div class="top"><a href="/"><b>NORTHWIRE</b>
    </a> | <a href="/world/">World</a> | <a href="/business/">Business</a> |
<a href="/sport/">Sport</a> | <a href="/science/">Science</a> |
<a href="/politics/">Politics</a> | <a href="/clients/">For clients</a></div>
<nav class="breadcrumb"><a href="/">Northwire</a> &rsaquo;
  <a href="/{a.section}/">{a.section.capitalize()}</a></nav>
<h1>{_t(a.title)}</h1>
<p class="byline">By {escape(_byline(a.authors))}</p>
<time datetime="{a.published}">{shown}</time>
<div id="story">
{paras}
</div>
<p class="copyright">© 2025 Northwire. All rights reserved.
    Republication or redistribution of Northwire content is
expressly prohibited without prior written consent.</p>
<div class="related"><b>Related coverage</b>
<ul>
{related}
</ul>
</div>
</body>
</html>
"""


# --------------------------------------------------------------------------------------
# dailycourier.example: text dumps (visible text: caption, dateline, body, sidebars)
# --------------------------------------------------------------------------------------


def courier_text(a: Art, variant: int = 0) -> str:
    out = [a.caption or ""] + a.paragraphs
    out.append("Opinion")
    title, blurb = COURIER_OPINION[variant % len(COURIER_OPINION)]
    out += [title, title, blurb]
    out.append("Editorial")
    teasers = []
    for t, updated, b in _rotate(COURIER_EDITORIAL, variant)[:3]:
        teasers.append(f"{t}\n{updated}\n\n{t}\n\n{b}")
    out.append("\n".join(teasers))
    return "\n\n".join(p for p in out if p) + "\n"


def ht_boilerplate(a: Art, variant: int = 0) -> list[str]:
    """Strings on a Harbour Times article page that must never reach the article body."""
    most_read = _rotate(HT_MOST_READ, variant * 3)[:5]
    comments = _rotate(HT_COMMENTS, variant + len(a.slug))[:3]
    return [
        "Most read",
        most_read[0],
        most_read[-1],
        comments[0][1],
        "Share on Facebook",
        "We use cookies to personalise content",
        "© 2025 Harbour Times Media Ltd",
        "The stories that matter, before your first coffee",
        "Comments are moderated",
    ]


def vh_boilerplate(a: Art, variant: int = 0) -> list[str]:
    opinion = _rotate(VH_OPINION, variant * 2)[:3]
    editorial = _rotate(VH_EDITORIAL, variant)[:3]
    return [
        "Get the Valley Herald Morning Briefing",
        "delivered to your inbox by 6 a.m.",
        opinion[0][1],
        editorial[0][0],
        editorial[0][1],
        editorial[0][2],
        "Most popular",
        "Copy link",
        "This website uses cookies",
        "© 2025 The Valley Herald",
    ]


def nw_boilerplate(a: Art) -> list[str]:
    return ["Related coverage", NW_RELATED[0][1], "Republication or redistribution", "For clients"]


def courier_boilerplate(a: Art, variant: int = 0) -> list[str]:
    title, blurb = COURIER_OPINION[variant % len(COURIER_OPINION)]
    ed = _rotate(COURIER_EDITORIAL, variant)[:3]
    return [title, blurb, ed[0][0], ed[0][1], ed[1][2], a.caption or ""]


# --------------------------------------------------------------------------------------
# Building the dumps: every page written is registered with the outcome the pipeline must give it
# --------------------------------------------------------------------------------------


@dataclass
class PageOut:
    path: str
    record: int
    outcome: str  # article | duplicate | reject
    reason: str | None = None  # reject reason code
    article: str | None = None  # article key, for articles and duplicates
    note: str = ""


def gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _uuid(name: str) -> str:
    import uuid

    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'newsbeam-example:' + name)}>"


class Builder:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.pages: list[PageOut] = []
        self.seen: set[str] = set()  # article keys already emitted once
        self.warc_skipped = 0

    def _outcome(self, key: str) -> str:
        # The first page of an article in the listing order is the one we call "the article";
        # the pipeline may keep any copy, the counts are the same either way.
        base = key.split("@")[0]
        if base in self.seen:
            return "duplicate"
        self.seen.add(base)
        return "article"

    def page(self, path: str, record: int, key: str, note: str = "") -> None:
        base = key.split("@")[0]
        self.pages.append(PageOut(path, record, self._outcome(key), article=base, note=note))

    def reject(self, path: str, record: int, reason: str, note: str = "") -> None:
        self.pages.append(PageOut(path, record, "reject", reason=reason, note=note))

    def file(self, path: str, data: bytes) -> None:
        assert path not in self.files, path
        self.files[path] = data

    def jsonl(
        self, path: str, lines: list[tuple[dict | bytes, str | None, str | None]], compress: bool = False
    ) -> None:
        """lines: (object or raw bytes, article key or None, reject reason or None)."""
        out = []
        for i, (obj, key, reason) in enumerate(lines):
            raw = obj if isinstance(obj, bytes) else json.dumps(obj, ensure_ascii=False).encode()
            assert b"\n" not in raw
            out.append(raw)
            if key:
                self.page(path, i, key)
            else:
                self.reject(path, i, reason or "")
        data = b"\n".join(out) + b"\n"
        self.file(path, gz(data) if compress else data)

    def warc(
        self, path: str, entries: list[tuple[Art, str, bytes]], start: str, truncate_last: bool = False
    ) -> bytes:
        """entries: (article, content-type header, body bytes). Returns the full (untruncated) bytes."""
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=True)
        filename = path.rsplit("/", 1)[-1]
        info = writer.create_warcinfo_record(
            filename,
            {
                "software": "newsbeam-example-crawler/1.0 (warcio)",
                "format": "WARC File Format 1.1",
                "operator": "newsbeam examples",
                "description": "Invented pages for the newsbeam examples",
            },
        )
        info.rec_headers.replace_header("WARC-Date", start)
        info.rec_headers.replace_header("WARC-Record-ID", _uuid(path + "#warcinfo"))
        writer.write_record(info)
        self.warc_skipped += 1
        offsets = []
        hh, mm = int(start[11:13]), int(start[14:16])
        for i, (a, ctype, body) in enumerate(entries):
            minute = mm + 2 * i + 1
            date = f"{start[:11]}{hh + minute // 60:02d}:{minute % 60:02d}:05Z"
            uri = a.url
            host = uri.split("/")[2]
            req_path = "/" + uri.split("/", 3)[3]
            req = writer.create_warc_record(
                uri,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(
                    f"GET {req_path} HTTP/1.1",
                    [
                        ("Host", host),
                        ("User-Agent", "newsbeam-example-crawler/1.0"),
                        ("Accept", "text/html,application/xhtml+xml"),
                        ("Accept-Encoding", "identity"),
                    ],
                    is_http_request=True,
                ),
                warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": _uuid(uri + "#request")},
            )
            writer.write_record(req)
            http_date = _http_date(date)
            resp = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body),
                http_headers=StatusAndHeaders(
                    "200 OK",
                    [
                        ("Date", http_date),
                        ("Server", "nginx"),
                        ("Content-Type", ctype),
                        ("Content-Length", str(len(body))),
                        ("Cache-Control", "max-age=300"),
                    ],
                    protocol="HTTP/1.1",
                ),
                warc_headers_dict={
                    "WARC-Date": date,
                    "WARC-Record-ID": _uuid(uri + "#response"),
                    "WARC-Concurrent-To": _uuid(uri + "#request"),
                },
            )
            offsets.append(buf.tell())
            writer.write_record(resp)
            if not (truncate_last and i == len(entries) - 1):
                self.warc_skipped += 1  # the request record
                self.page(path, i, a.key)
            else:
                self.warc_skipped += 1  # the request record before the cut is complete
                self.reject(path, i, "truncated", "response record cut in the middle of its gzip member")
        full = buf.getvalue()
        data = full
        if truncate_last:
            start_off = offsets[-1]
            data = full[: start_off + (len(full) - start_off) // 2]
        self.file(path, data)
        return full


def _http_date(warc_date: str) -> str:
    from datetime import datetime
    from email.utils import format_datetime

    return format_datetime(datetime.fromisoformat(warc_date.replace("Z", "+00:00")), usegmt=True)


def build() -> tuple[Builder, list[dict]]:
    b = Builder()
    known: list[dict] = []

    # --- harbourtimes.example: single .html / .htm / .html.gz / gzip without extension
    def ht_path(a: Art, ext: str) -> str:
        return f"harbourtimes/{a.section}/{a.date}-{a.slug}{ext}"

    for key, ext in [("H1", ".html"), ("H2", ".html"), ("H3", ".htm"), ("H5", ".html"), ("H6", ".html")]:
        a = A[key]
        b.file(ht_path(a, ext), ht_article(a).encode("utf-8"))
        b.page(ht_path(a, ext), 0, key)
    a = A["H4"]
    b.file(ht_path(a, ".html.gz"), gz(ht_article(a).encode("utf-8")))
    b.page(ht_path(a, ".html.gz"), 0, "H4")
    # Truncated .html.gz: the gzip stream stops in the middle of the article body.
    a = A["H7"]
    full = gz(ht_article(a).encode("utf-8"))
    b.file(ht_path(a, ".html.gz"), full[: len(full) // 2])
    b.reject(ht_path(a, ".html.gz"), 0, "truncated", "gzip stream cut at half its length")
    # gzip-compressed HTML whose name has no extension at all (detected by the gzip magic bytes).
    b.file("harbourtimes/fetch/crawl-000231", gz(ht_article(A["H8"]).encode("utf-8")))
    b.page("harbourtimes/fetch/crawl-000231", 0, "H8", "gzip without .gz extension")
    # Section front: a list of teasers, og:type=website.
    b.file("harbourtimes/business/index.html", ht_section_front().encode("utf-8"))
    b.reject("harbourtimes/business/index.html", 0, "not_article", "section front")

    # --- valleyherald.example: JSONL with html, JSONL.gz, a windows-1252 page
    vh1 = "valleyherald/crawl-2025-03-12.jsonl"
    hdr_html = {"content-type": "text/html; charset=utf-8"}
    b.jsonl(
        vh1,
        [
            (
                {
                    "url": A["V1"].url,
                    "fetched_at": "2025-03-12T18:02:11Z",
                    "headers": hdr_html,
                    "html": vh_article(A["V1"]),
                },
                "V1",
                None,
            ),
            (
                {
                    "url": A["V2"].url,
                    "fetched_at": "2025-03-12T18:02:40+00:00",
                    "headers": hdr_html,
                    "html": vh_article(A["V2"], 1),
                },
                "V2",
                None,
            ),
            ({"url": A["V3"].url, "html": vh_article(A["V3"], 2)}, "V3", None),
            (
                {
                    "url": "https://www.valleyherald.example/tag/frost/",
                    "fetched_at": "2025-03-12T18:03:02Z",
                    "html": vh_tag_page(),
                },
                None,
                "not_article",
            ),
        ],
    )
    vh2 = "valleyherald/crawl-2025-03-13.jsonl.gz"
    b.jsonl(
        vh2,
        [
            (
                {
                    "url": A["V5"].url,
                    "fetched_at": "2025-03-13T20:11:09Z",
                    "headers": hdr_html,
                    "html": vh_article(A["V5"], 2),
                },
                "V5",
                None,
            ),
            (
                {"url": A["V6"].url, "fetched_at": "2025-03-13T20:11:30Z", "html": vh_article(A["V6"], 3)},
                "V6",
                None,
            ),
            # Re-crawl of V1: same body, other sidebar teasers, tracking query string on the URL.
            (
                {
                    "url": A["V1"].url
                    + "?utm_source=newsletter&utm_medium=email&utm_campaign=morning-briefing",
                    "fetched_at": "2025-03-13T20:12:45Z",
                    "headers": hdr_html,
                    "html": vh_article(A["V1"], 1),
                },
                "V1",
                None,
            ),
            # The Northwire story N1, republished by the Valley Herald with its own headline and template.
            (
                {
                    "url": N1_VH.url,
                    "fetched_at": "2025-03-13T20:13:01Z",
                    "headers": hdr_html,
                    "html": vh_article(N1_VH),
                },
                "N1@valleyherald",
                None,
            ),
        ],
        compress=True,
    )
    v4_path = f"valleyherald/archive/{A['V4'].date}-{A['V4'].slug}.html"
    b.file(v4_path, vh_article(A["V4"], 1, charset="windows-1252").encode("cp1252"))
    b.page(v4_path, 0, "V4", "windows-1252, declared by <meta charset>")

    # --- northwire.example: WARC with warcinfo + request + response records
    nw_main = "northwire/northwire-20250314.warc.gz"
    entries = []
    for key in ["N5", "N4", "N1", "N2", "N3"]:
        a = A[key]
        if key == "N3":  # ISO-8859-1, declared only by the HTTP header
            entries.append((a, "text/html; charset=ISO-8859-1", nw_article(a, False).encode("iso-8859-1")))
        elif key == "N4":  # no charset in the header, <meta charset="utf-8"> in the page
            entries.append((a, "text/html", nw_article(a).encode("utf-8")))
        else:
            entries.append((a, "text/html; charset=utf-8", nw_article(a).encode("utf-8")))
    b.warc(nw_main, entries, "2025-03-14T06:00:00Z")
    nw_part = "northwire/northwire-20250315-partial.warc.gz"
    b.warc(
        nw_part,
        [(A[k], "text/html; charset=utf-8", nw_article(A[k]).encode("utf-8")) for k in ["N6", "N7"]],
        "2025-03-15T07:30:00Z",
        truncate_last=True,
    )

    # --- dailycourier.example: text dumps (.txt, .txt.gz) and JSONL text lines
    for i, (key, ext) in enumerate([("T1", ".txt"), ("T2", ".txt"), ("T3", ".txt.gz"), ("T4", ".txt")]):
        a = A[key]
        path = f"dailycourier/{a.date}-{a.slug}{ext}"
        data = courier_text(a, i).encode("utf-8")
        b.file(path, gz(data) if ext.endswith(".gz") else data)
        b.page(path, 0, key)
    hdr_text = {"content-type": "text/plain; charset=utf-8"}
    b.jsonl(
        "dailycourier/courier-text-2025-03-12.jsonl",
        [
            (
                {
                    "url": A["T5"].url,
                    "fetched_at": "2025-03-12T11:45:00+05:00",
                    "headers": hdr_text,
                    "text": courier_text(A["T5"], 1),
                },
                "T5",
                None,
            ),
            ({"url": A["T6"].url, "text": courier_text(A["T6"], 2)}, "T6", None),
        ],
    )

    # --- mixed crawl: an exact copy, a text line, a malformed line, a line with neither html nor text
    h2 = A["H2"]
    b.jsonl(
        "mixed/crawl-2025-03-15.jsonl",
        [
            (
                {
                    "url": h2.url,
                    "fetched_at": "2025-03-15T02:00:00Z",
                    "headers": hdr_html,
                    "html": ht_article(h2),
                },
                "H2",
                None,
            ),
            (
                {"url": A["T7"].url, "fetched_at": "2025-03-15T02:00:31Z", "text": courier_text(A["T7"], 3)},
                "T7",
                None,
            ),
            (
                b'{"url": "https://www.valleyherald.example/news/local/2025/03/14/bridge-repairs", '
                b'"html": "<!doctype html><html lang=\\"en\\"><head><title>Bridge repairs to close',
                None,
                "malformed_record",
            ),
            (
                {
                    "url": "https://www.harbourtimes.example/sport/2025/03/15/rowing-regatta",
                    "fetched_at": "2025-03-15T02:01:10Z",
                    "headers": {"content-type": "text/html; charset=utf-8"},
                    "status": 304,
                },
                None,
                "malformed_record",
            ),
        ],
    )

    # --- broken files
    garbage = random.Random(SEED).randbytes(3072)
    assert not garbage.startswith((b"\x1f\x8b", b"WARC", b"{", b"<"))
    b.file("broken/blob.html", garbage)
    b.reject("broken/blob.html", 0, "undecodable", "random bytes from a fixed seed")
    b.file("broken/empty.html", b"")
    b.reject("broken/empty.html", 0, "empty_file")

    # ------------------------------------------------------------------ known articles
    def first_input(key: str) -> dict:
        p = next(p for p in b.pages if p.article == key)
        return {"path": p.path, "record": p.record}

    def known_entry(
        a: Art, boiler: list[str], *, url: str | None, source: str | None, section: str | None
    ) -> dict:
        paras = a.paragraphs
        return {
            "key": a.key,
            "input": first_input(a.key),
            "match": " ".join(paras[0].split()[3:11]),
            "title": a.title,
            "authors": list(a.authors),
            # A text dump states no date; its URL does (/politics/2025-03-12/slug).
            "published_at": _normalize_date(a.published) or (a.date if url else None),
            "url": url,
            "source": source,
            "dateline": a.dateline,
            "captions": [a.caption] if a.caption else [],
            "section": section,
            "language": a.lang,
            "first_paragraph_startswith": paras[0][:40],
            "last_paragraph_endswith": paras[-1][-40:],
            "body_must_not_contain": [s for s in boiler if s],
            "word_count_approx": sum(len(p.split()) for p in paras),
        }

    for key in ["H1", "H6", "H8"]:
        a = A[key]
        known.append(
            known_entry(a, ht_boilerplate(a), url=a.url, source="harbourtimes.example", section=a.section)
        )
    for key, variant in [("V3", 2), ("V4", 1), ("V2", 1)]:
        a = A[key]
        known.append(
            known_entry(
                a, vh_boilerplate(a, variant), url=a.url, source="valleyherald.example", section=a.section
            )
        )
    for key in ["N2", "N3"]:
        a = A[key]
        known.append(
            known_entry(a, nw_boilerplate(a), url=a.url, source="northwire.example", section=a.section)
        )
    known.append(
        known_entry(
            A["T5"],
            courier_boilerplate(A["T5"], 1),
            url=A["T5"].url,
            source="dailycourier.example",
            section="politics",
        )
    )
    known.append(known_entry(A["T1"], courier_boilerplate(A["T1"], 0), url=None, source=None, section=None))
    return b, known


def _normalize_date(value: str | None) -> str | None:
    from datetime import datetime

    if value is None or len(value) == 10:
        return value
    return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()


def expected(b: Builder, known: list[dict]) -> dict:
    # Outcomes in reading order (files sorted by path, pages by index): the first copy of an
    # article is "the article", later copies are duplicates.
    b.pages.sort(key=lambda p: (p.path, p.record))
    seen: set[str] = set()
    for p in b.pages:
        if p.article:
            p.outcome = "duplicate" if p.article in seen else "article"
            seen.add(p.article)
    outcomes = Counter(p.outcome for p in b.pages)
    reasons = Counter(p.reason for p in b.pages if p.outcome == "reject")
    groups: dict[str, list[dict]] = {}
    for p in b.pages:
        if p.article:
            groups.setdefault(p.article, []).append({"path": p.path, "record": p.record})
    articles = [k for k in groups]
    sections = Counter(A[k].section for k in articles)
    # Every page is exactly one of article / duplicate / reject.
    assert len(b.pages) == outcomes["article"] + outcomes["duplicate"] + outcomes["reject"]
    assert outcomes["article"] == len(articles)
    assert len({(p.path, p.record) for p in b.pages}) == len(b.pages)
    # Every known article's match phrase is unique among the first paragraphs of all articles.
    firsts = {k: A[k].paragraphs[0] for k in articles}
    for entry in known:
        hits = [k for k, first in firsts.items() if entry["match"] in first]
        assert hits == [entry["key"]], (entry["key"], hits)
    for a in list(A.values()) + [N1_VH]:
        words = sum(len(p.split()) for p in a.paragraphs)
        assert 150 <= words <= 600, (a.key, words)
    return {
        "description": (
            "What newsbeam must produce from examples/dumps/. Generated by examples/make_dumps.py; "
            "do not edit by hand. Paths are relative to examples/dumps/, records are the page's index "
            "inside its file (JSONL: line; WARC: response record, other record types not counted)."
        ),
        "files": len(b.files),
        "pages_read": len(b.pages),
        "articles": outcomes["article"],
        "duplicates": outcomes["duplicate"],
        "rejects": outcomes["reject"],
        "rejects_by_reason": dict(sorted(reasons.items())),
        "warc_records_skipped": b.warc_skipped,
        "sections_intended": dict(sorted(sections.items())),
        "known_articles": known,
        "duplicate_groups": [g for g in groups.values() if len(g) > 1],
        "pages": [
            {
                "path": p.path,
                "record": p.record,
                "outcome": p.outcome,
                "reason": p.reason,
                "article": p.article,
                **({"note": p.note} if p.note else {}),
            }
            for p in b.pages
        ],
        "notes": [
            "published_at is as the page states it, with Z written as +00:00; date-only values stay "
            "date-only. For text pages it is the date in the page's URL.",
            "language of text pages is the language they are written in (no page declares it).",
            "The body keeps the dateline lead-in as printed ('SYDNEY (Northwire) - ...', 'LAHORE: ...'); "
            "dateline holds only the place.",
            "Captions are listed exactly as the page prints them, photo credit included.",
            "section null means not asserted: the page has no metadata or URL, only its text.",
            "In a duplicate group the pipeline may keep any member; 'outcome' in pages names the first "
            "in sorted path order, the counts hold either way.",
            "sections_intended counts the slug each unique article's metadata/URL implies; text-only pages "
            "are counted by the section they were written for.",
        ],
    }


def write_all(target: Path, b: Builder) -> None:
    for rel, data in sorted(b.files.items()):
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the files on disk")
    args = parser.parse_args(argv)
    b, known = build()
    exp_text = json.dumps(expected(b, known), ensure_ascii=False, indent=2) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "dumps"
        write_all(fresh, b)
        if args.check:
            same = _digest(fresh) == _digest(DUMPS) if DUMPS.exists() else False
            same = same and EXPECTED.exists() and EXPECTED.read_text(encoding="utf-8") == exp_text
            print(
                "up to date"
                if same
                else "examples/dumps/ or the fixture is out of date: run examples/make_dumps.py"
            )
            return 0 if same else 1
        if DUMPS.exists():
            shutil.rmtree(DUMPS)
        shutil.copytree(fresh, DUMPS)
    EXPECTED.parent.mkdir(parents=True, exist_ok=True)
    EXPECTED.write_text(exp_text, encoding="utf-8")
    size = sum(len(d) for d in b.files.values())
    counts = json.loads(exp_text)
    print(
        f"wrote {len(b.files)} files ({size / 1024:.0f} KiB) to {DUMPS.relative_to(HERE.parent)}: "
        f"{counts['pages_read']} pages, {counts['articles']} articles, {counts['duplicates']} duplicates, "
        f"{counts['rejects']} rejects {counts['rejects_by_reason']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
