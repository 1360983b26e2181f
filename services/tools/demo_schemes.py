"""The demo championship's marking schemes, as the skills' workbooks hold them: criteria of
sub-criteria of aspects, with each measurement's requirement, each judgement's descriptions
of scores 0 to 3, the WSOS section and the day of marking. `demo_files` writes them out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measurement:
    max_mark: float
    description: str
    requirement: str
    wsos_section: int


@dataclass(frozen=True)
class Judgement:
    max_mark: float
    description: str
    # What scores 0, 1, 2 and 3 mean.
    descriptors: tuple[str, str, str, str]
    wsos_section: int


@dataclass(frozen=True)
class Sub:
    name: str
    day: str
    aspects: tuple[Measurement | Judgement, ...]


@dataclass(frozen=True)
class Criterion:
    name: str
    subs: tuple[Sub, ...]


@dataclass(frozen=True)
class Scheme:
    skill: str
    name: str
    # by letter: A, B, ...
    criteria: dict[str, Criterion]
    rules: dict[str, int | float | bool] | None = None


M, J = Measurement, Judgement


def sub(name: str, day: str, *aspects: Measurement | Judgement) -> Sub:
    return Sub(name, day, aspects)


def criterion(name: str, *subs: Sub) -> Criterion:
    return Criterion(name, subs)


SCHEMES = (
    Scheme(
        "mobile-robotics",
        "Mobile Robotics",
        {
            "A": criterion(
                "Design and documentation",
                sub(
                    "Robot build",
                    "C1",
                    M(
                        9.0,
                        "Robot chassis built to the submitted drawings",
                        "Every dimension within ±2 mm of the drawing",
                        1,
                    ),
                    M(
                        6.0,
                        "Wiring diagram complete and legible",
                        "Every connection shown and labelled",
                        1,
                    ),
                ),
                sub(
                    "Engineering records",
                    "C1",
                    J(
                        3.0,
                        "Quality of the engineering notebook",
                        (
                            "Notebook missing or with gaps; design decisions not recorded",
                            "Every stage recorded, few reasons given",
                            "Every stage recorded with reasons, sketches and test results",
                            "A record another team could rebuild the robot from",
                        ),
                        2,
                    ),
                    M(
                        7.0,
                        "Bill of materials within budget",
                        "Every part listed with its price; total at most 450 USD",
                        2,
                    ),
                ),
            ),
            "B": criterion(
                "Programming",
                sub(
                    "Navigation",
                    "C2",
                    M(
                        5.5,
                        "Autonomous navigation reaches all waypoints",
                        "All 5 waypoints reached without a restart",
                        3,
                    ),
                    M(
                        7.5,
                        "Obstacle avoidance passes the test course",
                        "Course completed without touching an obstacle",
                        3,
                    ),
                ),
                sub(
                    "Code quality",
                    "C2",
                    J(
                        12.0,
                        "Structure and readability of the code",
                        (
                            "One long routine; names say nothing; copied blocks",
                            "Split into functions; names mostly clear",
                            "Clear modules and names; constants named; short comments where needed",
                            "Code a new team member could change safely on the first day",
                        ),
                        4,
                    ),
                ),
            ),
            "C": criterion(
                "Mission performance",
                sub(
                    "Runs",
                    "C3",
                    M(12.0, "Objects collected in the first run", "12 objects, 1 mark each", 5),
                    M(7.0, "Objects collected in the second run", "7 objects, 1 mark each", 5),
                ),
                sub(
                    "Time",
                    "C3",
                    M(
                        11.0,
                        "Mission completed within the time limit",
                        "Whole mission within 3 minutes",
                        5,
                    ),
                ),
            ),
            "D": criterion(
                "Teamwork and communication",
                sub(
                    "Presentation",
                    "C3",
                    J(
                        9.5,
                        "Presentation of the solution to the jury",
                        (
                            "Unprepared; the jury cannot follow the solution",
                            "The solution explained, questions answered in part",
                            "A clear account of the choices made, questions answered well",
                            "Convincing and concise; the jury learns something",
                        ),
                        6,
                    ),
                ),
                sub(
                    "Work organisation",
                    "C3",
                    J(
                        10.5,
                        "Safe and tidy work area",
                        (
                            "Unsafe practice seen, or tools left lying around",
                            "Safe throughout; the area tidied at the end",
                            "Safe and tidy throughout the day",
                            "Exemplary: tools and parts in order at every moment",
                        ),
                        6,
                    ),
                ),
            ),
        },
    ),
    Scheme(
        "it-software-solutions",
        "IT Software Solutions for Business",
        {
            "A": criterion(
                "Data model",
                sub(
                    "Database design",
                    "C1",
                    M(
                        6.0,
                        "Database schema matches the brief",
                        "All 9 tables of the brief with their keys",
                        1,
                    ),
                    M(
                        9.0,
                        "Referential integrity enforced",
                        "Foreign keys on every relation; a customer with orders cannot be deleted",
                        1,
                    ),
                ),
                sub(
                    "Model quality",
                    "C1",
                    J(
                        10.0,
                        "Clarity of naming and normalisation",
                        (
                            "Repeated data; names that do not say what a column holds",
                            "Third normal form with a few lapses; names mostly clear",
                            "Third normal form; consistent, clear names",
                            "A model a database administrator would adopt as it is",
                        ),
                        1,
                    ),
                ),
            ),
            "B": criterion(
                "Application features",
                sub(
                    "Access and orders",
                    "C2",
                    M(
                        7.5,
                        "Login and roles work as specified",
                        "Admin and clerk roles; a clerk cannot open the settings",
                        2,
                    ),
                    M(
                        7.5,
                        "Order entry validates all fields",
                        "Every field checked; the error shown next to the field",
                        2,
                    ),
                ),
                sub(
                    "Reports and search",
                    "C2",
                    M(
                        10.0,
                        "Reports export to PDF",
                        "Both reports export to PDF with their totals",
                        3,
                    ),
                    M(
                        5.0,
                        "Search returns correct results",
                        "By name and by order number: the 6 results of the test data",
                        3,
                    ),
                ),
            ),
            "C": criterion(
                "User experience",
                sub(
                    "Interface",
                    "C3",
                    J(
                        15.0,
                        "Consistency of the interface",
                        (
                            "Each screen looks and behaves differently",
                            "Mostly consistent; a few controls out of place",
                            "One layout, one set of controls, one wording throughout",
                            "Consistent to the pixel, with a clear visual language",
                        ),
                        4,
                    ),
                    J(
                        10.0,
                        "Ease of use for a first-time user",
                        (
                            "A new user cannot place an order without help",
                            "A new user places an order after some searching",
                            "A new user places an order at once",
                            "A new user finds even the rare tasks without help",
                        ),
                        4,
                    ),
                ),
            ),
            "D": criterion(
                "Testing and documentation",
                sub(
                    "Tests",
                    "C3",
                    M(
                        7.0,
                        "Unit tests cover the business rules",
                        "A passing test for each of the 7 business rules",
                        5,
                    ),
                ),
                sub(
                    "Documentation",
                    "C3",
                    M(
                        6.0,
                        "User guide delivered",
                        "Guide as PDF with a screenshot of each screen",
                        5,
                    ),
                    J(
                        7.0,
                        "Quality of the technical documentation",
                        (
                            "Missing, or does not match the application",
                            "Describes the parts; set-up steps incomplete",
                            "Set-up, architecture and data model described clearly",
                            "A developer could take over the project from it alone",
                        ),
                        5,
                    ),
                ),
            ),
        },
    ),
    Scheme(
        "web-technologies",
        "Web Technologies",
        {
            "A": criterion(
                "Layout and design",
                sub(
                    "Layout",
                    "C1",
                    M(
                        7.5,
                        "Page matches the wireframe at 1920 px",
                        "Every block of the wireframe in place at 1920 px",
                        1,
                    ),
                    M(
                        5.5,
                        "Page responsive down to 375 px",
                        "No horizontal scrolling at 375 px; the menu collapses",
                        1,
                    ),
                ),
                sub(
                    "Design",
                    "C1",
                    J(
                        12.0,
                        "Visual quality of the design",
                        (
                            "Clashing colours, uneven spacing, hard to read",
                            "Tidy and readable; little visual hierarchy",
                            "Clear hierarchy, balanced spacing, colours that work together",
                            "A design a client would publish as it is",
                        ),
                        2,
                    ),
                ),
            ),
            "B": criterion(
                "Front-end development",
                sub(
                    "Forms and gallery",
                    "C2",
                    M(
                        9.5,
                        "Form validation in the browser",
                        "Every required field checked before sending",
                        3,
                    ),
                    M(
                        8.5,
                        "Interactive gallery works with keyboard",
                        "Arrow keys, Tab and Escape work; focus always visible",
                        3,
                    ),
                ),
                sub(
                    "Code",
                    "C2",
                    J(
                        7.0,
                        "Quality of the JavaScript code",
                        (
                            "Global variables, repeated code, errors in the console",
                            "Works; some repetition and unclear names",
                            "Small functions with clear names; no errors in the console",
                            "Clean, modular code with the reasons commented",
                        ),
                        3,
                    ),
                ),
            ),
            "C": criterion(
                "Back-end development",
                sub(
                    "API",
                    "C2",
                    M(
                        9.5,
                        "REST API returns the specified fields",
                        "All fields of the specification, with the right types",
                        4,
                    ),
                    M(
                        12.0,
                        "Authentication protects private routes",
                        "Private routes answer 401 without a valid token",
                        4,
                    ),
                ),
                sub(
                    "Data",
                    "C3",
                    M(
                        8.5,
                        "Data persisted in the database",
                        "Data still there after the server restarts",
                        4,
                    ),
                ),
            ),
            "D": criterion(
                "Accessibility and performance",
                sub(
                    "Audit",
                    "C3",
                    M(
                        4.5,
                        "No errors in the accessibility audit",
                        "Zero errors in the automated audit",
                        5,
                    ),
                    M(
                        8.0,
                        "Page loads under the size budget",
                        "Home page at most 500 KB transferred",
                        5,
                    ),
                ),
                sub(
                    "Markup",
                    "C3",
                    J(
                        7.5,
                        "Semantic structure of the markup",
                        (
                            "Divs only; headings out of order",
                            "Landmarks present; some headings out of order",
                            "Landmarks, headings and lists used as meant",
                            "Markup a screen-reader user moves through with ease",
                        ),
                        5,
                    ),
                ),
            ),
        },
    ),
    Scheme(
        "mechatronics",
        "Mechatronics",
        {
            "A": criterion(
                "Assembly",
                sub(
                    "Mechanical assembly",
                    "C1",
                    M(
                        9.0,
                        "Station assembled to the drawing",
                        "Every part mounted as on the drawing",
                        1,
                    ),
                    M(
                        11.5,
                        "Pneumatic tubing routed and secured",
                        "Tubes cut square, clipped every 50 mm, no kinks",
                        1,
                    ),
                ),
                sub(
                    "Sensors",
                    "C1",
                    M(
                        9.5,
                        "Sensors positioned within tolerance",
                        "Each sensor within ±1 mm of its position",
                        1,
                    ),
                ),
            ),
            "B": criterion(
                "Electrical wiring",
                sub(
                    "Wiring",
                    "C1",
                    M(
                        7.5,
                        "Wiring matches the circuit diagram",
                        "Every connection as on the circuit diagram",
                        2,
                    ),
                    M(
                        9.0,
                        "Cable ducts closed and labelled",
                        "All ducts closed; every wire labelled at both ends",
                        2,
                    ),
                ),
                sub(
                    "Workmanship",
                    "C1",
                    J(
                        8.5,
                        "Neatness of the wiring",
                        (
                            "Loose or crossing wires; bare copper visible",
                            "Wires in ducts; some untidy bends",
                            "Square bends, even lengths, neat bundles",
                            "Wiring fit for a showroom",
                        ),
                        2,
                    ),
                ),
            ),
            "C": criterion(
                "PLC programming",
                sub(
                    "Sequence",
                    "C2",
                    M(
                        11.0,
                        "Sorting sequence runs without fault",
                        "10 parts sorted without a fault",
                        3,
                    ),
                    M(7.5, "Emergency stop halts all motion", "All motion stops within 0.5 s", 3),
                ),
                sub(
                    "HMI",
                    "C2",
                    M(
                        6.5,
                        "Counter values reported to the HMI",
                        "Count of each colour shown and reset from the HMI",
                        3,
                    ),
                ),
            ),
            "D": criterion(
                "Commissioning and fault finding",
                sub(
                    "Fault finding",
                    "C3",
                    M(
                        6.5,
                        "Faults found within the time limit",
                        "3 faults found within 20 minutes",
                        4,
                    ),
                    J(
                        9.0,
                        "Systematic approach to fault finding",
                        (
                            "Guessing; parts swapped at random",
                            "Some checks in order; the fault found by chance",
                            "Measured step by step from the symptom to the cause",
                            "Fast, methodical and every step recorded",
                        ),
                        4,
                    ),
                ),
                sub(
                    "Handover",
                    "C3",
                    J(
                        4.5,
                        "Handover explanation to the client",
                        (
                            "The client could not run the station",
                            "The client could start and stop the station",
                            "The client could run the station and clear simple faults",
                            "The client left confident and with written notes",
                        ),
                        5,
                    ),
                ),
            ),
        },
    ),
    Scheme(
        "welding",
        "Welding",
        {
            "A": criterion(
                "Fillet welds",
                sub(
                    "Fillet weld dimensions",
                    "C1",
                    M(8.0, "Leg length within tolerance", "8 mm ±1 mm along the whole weld", 1),
                    M(
                        8.5,
                        "No undercut deeper than 0.5 mm",
                        "Gauged at 5 points: none deeper than 0.5 mm",
                        1,
                    ),
                ),
                sub(
                    "Fillet weld appearance",
                    "C1",
                    J(
                        8.5,
                        "Visual appearance of the weld face",
                        (
                            "Uneven ripples, spatter left on the plate",
                            "Even face with a few irregular ripples",
                            "Even ripples, clean toes, no spatter",
                            "A face fit for a textbook",
                        ),
                        1,
                    ),
                ),
            ),
            "B": criterion(
                "Plate butt welds",
                sub(
                    "Plate tests",
                    "C2",
                    M(
                        11.0,
                        "Radiographic test passed",
                        "No imperfection beyond ISO 5817 level B",
                        2,
                    ),
                    M(
                        7.5,
                        "Root penetration complete",
                        "Full penetration along the whole length",
                        2,
                    ),
                ),
                sub(
                    "Plate appearance",
                    "C2",
                    J(
                        6.5,
                        "Uniformity of the capping run",
                        (
                            "Width and height vary visibly",
                            "Small variations in width",
                            "Even width and height along the plate",
                            "Perfectly even, with smooth tie-ins",
                        ),
                        2,
                    ),
                ),
            ),
            "C": criterion(
                "Pipe welds",
                sub(
                    "Pipe tests",
                    "C2",
                    M(10.5, "Pressure test held at 70 bar", "Holds 70 bar for 10 minutes", 3),
                    M(9.5, "Misalignment under 1 mm", "Under 1 mm at every point of the joint", 3),
                ),
                sub(
                    "Pipe appearance",
                    "C3",
                    J(
                        10.0,
                        "Visual appearance of the pipe joint",
                        (
                            "Irregular cap, visible stop-starts",
                            "Regular cap with visible stop-starts",
                            "Regular cap, stop-starts barely visible",
                            "One seamless joint all round",
                        ),
                        3,
                    ),
                ),
            ),
            "D": criterion(
                "Structure",
                sub(
                    "Structure tests",
                    "C3",
                    M(
                        7.5,
                        "Dimensions of the structure within tolerance",
                        "Every dimension within ±2 mm",
                        4,
                    ),
                    M(6.0, "Structure passes the leak test", "No leak at 0.5 bar", 4),
                ),
                sub(
                    "Workmanship",
                    "C3",
                    J(
                        6.5,
                        "Overall workmanship",
                        (
                            "Burrs, spatter and grinding marks left",
                            "Clean, with a few marks",
                            "Clean, square and deburred",
                            "Finished to a standard a client would frame",
                        ),
                        4,
                    ),
                ),
            ),
        },
    ),
    Scheme(
        "electrical-installations",
        "Electrical Installations",
        {
            "A": criterion(
                "Installation to drawing",
                sub(
                    "Positioning",
                    "C1",
                    M(
                        13.5,
                        "Equipment positioned to the drawing",
                        "Each item within ±3 mm of the drawing",
                        1,
                    ),
                    M(
                        7.5,
                        "Cable routes and fixings as specified",
                        "Routes and fixing intervals as on the drawing",
                        1,
                    ),
                ),
                sub(
                    "Workmanship",
                    "C1",
                    J(
                        9.0,
                        "Neatness of the installation",
                        (
                            "Crooked trunking, damaged surfaces",
                            "Straight runs, a few untidy joints",
                            "Level, square and clean throughout",
                            "An installation to show apprentices",
                        ),
                        1,
                    ),
                ),
            ),
            "B": criterion(
                "Wiring and terminations",
                sub(
                    "Terminations",
                    "C1",
                    M(
                        9.5,
                        "Terminations tight and sleeved",
                        "No loose conductor; every end sleeved",
                        2,
                    ),
                    M(9.5, "Correct conductor colours", "Conductor colours as IEC 60445", 2),
                ),
                sub(
                    "Distribution board",
                    "C2",
                    M(6.0, "Distribution board labelled", "Every circuit labelled", 2),
                ),
            ),
            "C": criterion(
                "Testing and verification",
                sub(
                    "Tests",
                    "C2",
                    M(
                        10.0,
                        "Insulation resistance test recorded",
                        "Recorded; at least 1 MΩ at 500 V",
                        3,
                    ),
                    M(
                        6.0,
                        "Earth loop impedance within limits",
                        "Within the limits of the table for each circuit",
                        3,
                    ),
                    M(9.0, "RCD trip time verified", "Trips within 300 ms at rated current", 3),
                ),
            ),
            "D": criterion(
                "Smart home programming",
                sub(
                    "Programming",
                    "C3",
                    M(6.5, "Lighting scenes programmed", "All 4 scenes recalled correctly", 4),
                    M(
                        7.5,
                        "Blinds respond to the sensor",
                        "Blinds close when the sensor reads above 30 °C",
                        4,
                    ),
                ),
                sub(
                    "Handover",
                    "C3",
                    J(
                        6.0,
                        "Explanation of the system to the client",
                        (
                            "The client could not use the system",
                            "The client could switch the scenes",
                            "The client could use and change the scenes",
                            "The client left confident, with written notes",
                        ),
                        5,
                    ),
                ),
            ),
        },
    ),
    Scheme(
        "cooking",
        "Cooking",
        {
            "A": criterion(
                "Hygiene and organisation",
                sub(
                    "Hygiene",
                    "C1",
                    M(
                        7.5,
                        "Hygiene rules followed throughout",
                        "No breach of the hygiene rules seen",
                        1,
                    ),
                    M(
                        8.5,
                        "Work station clean at handover",
                        "Station clean and emptied at handover",
                        1,
                    ),
                ),
                sub(
                    "Organisation",
                    "C1",
                    J(
                        14.0,
                        "Organisation of the mise en place",
                        (
                            "No plan; ingredients fetched while cooking",
                            "A plan followed with some rushing",
                            "Everything prepared in order and on time",
                            "Calm, ordered and ahead of time throughout",
                        ),
                        2,
                    ),
                ),
            ),
            "B": criterion(
                "Cold appetiser",
                sub(
                    "Service",
                    "C1",
                    M(5.5, "Served on time", "Served within the 5-minute window", 3),
                    M(6.0, "Portion weight as specified", "60 g ±5 g", 3),
                ),
                sub(
                    "Tasting",
                    "C1",
                    J(
                        7.0,
                        "Taste",
                        (
                            "Unbalanced, under- or over-seasoned",
                            "Pleasant, seasoning slightly off",
                            "Balanced and well seasoned",
                            "Outstanding flavour, each element in harmony",
                        ),
                        4,
                    ),
                    J(
                        6.5,
                        "Presentation",
                        (
                            "Untidy plate, drips on the rim",
                            "Clean plate, simple arrangement",
                            "Attractive plate with height and colour",
                            "A plate fit for a fine-dining menu",
                        ),
                        4,
                    ),
                ),
            ),
            "C": criterion(
                "Main course",
                sub(
                    "Service",
                    "C2",
                    M(8.0, "Served on time", "Served within the 5-minute window", 3),
                    M(
                        3.0,
                        "Meat cooked to the required temperature",
                        "Core temperature at least 63 °C",
                        3,
                    ),
                ),
                sub(
                    "Tasting",
                    "C2",
                    J(
                        7.5,
                        "Taste",
                        (
                            "Unbalanced, under- or over-seasoned",
                            "Pleasant, seasoning slightly off",
                            "Balanced and well seasoned",
                            "Outstanding flavour, each element in harmony",
                        ),
                        4,
                    ),
                    J(
                        6.5,
                        "Presentation",
                        (
                            "Untidy plate, drips on the rim",
                            "Clean plate, simple arrangement",
                            "Attractive plate with height and colour",
                            "A plate fit for a fine-dining menu",
                        ),
                        4,
                    ),
                ),
            ),
            "D": criterion(
                "Dessert",
                sub(
                    "Service",
                    "C3",
                    M(6.0, "Served on time", "Served within the 5-minute window", 3),
                    M(4.0, "Mandatory ingredients used", "Honey, apricot and almond used", 3),
                ),
                sub(
                    "Tasting",
                    "C3",
                    J(
                        6.0,
                        "Taste",
                        (
                            "Too sweet or bland",
                            "Pleasant, sweetness slightly off",
                            "Balanced sweetness and texture",
                            "Outstanding flavour and texture",
                        ),
                        4,
                    ),
                    J(
                        4.0,
                        "Presentation",
                        (
                            "Untidy plate, melted elements",
                            "Clean plate, simple arrangement",
                            "Attractive plate with height and colour",
                            "A plate fit for a pastry shop's window",
                        ),
                        4,
                    ),
                ),
            ),
        },
        rules={"judges_per_aspect": 3, "max_judge_spread": 1},
    ),
    Scheme(
        "graphic-design",
        "Graphic Design Technology",
        {
            "A": criterion(
                "Brief and research",
                sub(
                    "Brief",
                    "C1",
                    M(
                        10.5,
                        "All mandatory elements of the brief present",
                        "Logo, slogan, date, venue and QR code",
                        1,
                    ),
                    J(
                        14.5,
                        "Relevance of the concept to the brief",
                        (
                            "The concept misses the brief's audience",
                            "The concept fits the brief in part",
                            "The concept answers the brief throughout",
                            "A concept the client would choose over their own",
                        ),
                        1,
                    ),
                ),
            ),
            "B": criterion(
                "Layout and typography",
                sub(
                    "Document set-up",
                    "C1",
                    M(
                        6.5,
                        "Document set to the required format and bleed",
                        "A3 with 3 mm bleed",
                        2,
                    ),
                    M(
                        9.5,
                        "Styles used consistently",
                        "Paragraph and character styles for all text",
                        2,
                    ),
                ),
                sub(
                    "Typography",
                    "C2",
                    J(
                        9.0,
                        "Quality of the typography",
                        (
                            "Too many typefaces; poor spacing",
                            "Readable; spacing uneven in places",
                            "Clear hierarchy, even spacing, good pairings",
                            "Typography that carries the concept by itself",
                        ),
                        2,
                    ),
                ),
            ),
            "C": criterion(
                "Image and illustration",
                sub(
                    "Images",
                    "C2",
                    M(7.5, "Images at print resolution", "Every image at 300 ppi or more", 3),
                    M(12.0, "Colour profile as specified", "Coated FOGRA39 throughout", 3),
                ),
                sub(
                    "Illustration",
                    "C2",
                    J(
                        10.5,
                        "Quality of the illustration",
                        (
                            "Clumsy shapes; the style does not fit",
                            "Competent, in a style that fits",
                            "Confident lines and a style of its own",
                            "An illustration to remember",
                        ),
                        3,
                    ),
                ),
            ),
            "D": criterion(
                "Print and digital output",
                sub(
                    "Output",
                    "C3",
                    M(6.5, "Print-ready PDF passes preflight", "No preflight errors", 4),
                    M(7.0, "Digital version exported for screen", "PNG at 1920 x 1080 in sRGB", 4),
                ),
                sub(
                    "Impact",
                    "C3",
                    J(
                        6.5,
                        "Overall visual impact",
                        (
                            "Passers-by would not notice it",
                            "Noticed, but not remembered",
                            "Draws the eye and holds it",
                            "Stops people in their tracks",
                        ),
                        4,
                    ),
                ),
            ),
        },
    ),
)
