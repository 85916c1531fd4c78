"""A generic gazetteer of well-known organisations the small model rarely tags (or tags as people).

Curated from general knowledge of English-language news, not from any evaluation set: international
organisations and agencies, news agencies, broadcasters and papers, the largest companies and platforms,
banks, carmakers, airlines, drug makers, central banks, sports bodies and leagues, political parties,
government agencies, universities, famous bands and religious bodies. One organisation a line:
``Canonical name | other written form | ...``; every form is matched case-sensitively on word
boundaries, so "Apple" matches but "apple" does not. Pure Python, no spaCy.

Ambiguous single words are left out ("Target", "Gap", "Virgin", "Mars", "Visa", "Fed"), and the
matcher in :func:`hits` skips forms written inside an all-capitals run (headlines: "WHO SAID").
"""

from __future__ import annotations

import re
from functools import lru_cache

ORGANISATIONS = """
United Nations | UN Secretariat
UN Security Council | United Nations Security Council
UN General Assembly | United Nations General Assembly
UNESCO
UNICEF
UNHCR | UN Refugee Agency
UNDP
UNAIDS
World Health Organization | WHO | World Health Organisation
World Food Programme | WFP
International Monetary Fund | IMF
World Bank
World Trade Organization | WTO | World Trade Organisation
NATO | Nato | North Atlantic Treaty Organization | North Atlantic Treaty Organisation
European Commission
European Parliament
European Council
Council of Europe
European Central Bank | ECB
African Union
ASEAN | Association of Southeast Asian Nations
Arab League
OPEC | Organization of the Petroleum Exporting Countries
OECD | Organisation for Economic Co-operation and Development
OSCE
Organization of American States
International Atomic Energy Agency | IAEA
International Criminal Court
International Court of Justice
Interpol
Europol
Red Cross | International Committee of the Red Cross | ICRC
Red Crescent
Amnesty International
Human Rights Watch
Greenpeace
Médecins Sans Frontières | Medecins Sans Frontieres | Doctors Without Borders | MSF
Oxfam
Save the Children
World Wide Fund for Nature | WWF
World Economic Forum
Reporters Without Borders
Transparency International
Hamas
Hezbollah
Taliban
al-Qaeda | Al-Qaeda | al Qaeda | Al Qaeda
Islamic State | ISIS | ISIL
Boko Haram
al-Shabaab | Al-Shabaab
Reuters
Associated Press | AP
Agence France-Presse | AFP
Bloomberg
Xinhua | Xinhua News Agency
TASS
RIA Novosti
Interfax
Kyodo | Kyodo News
Yonhap | Yonhap News Agency
Press Trust of India
BBC | British Broadcasting Corporation
BBC News
CNN
Fox News
NBC | NBC News
CBS | CBS News
ABC News
NPR | National Public Radio
PBS
MSNBC
Al Jazeera
Sky News
ITV
Channel 4
CBC | Canadian Broadcasting Corporation
Australian Broadcasting Corporation
RT
Euronews
Deutsche Welle
France 24
The New York Times | New York Times
The Washington Post | Washington Post
The Wall Street Journal | Wall Street Journal
Financial Times
The Guardian
The Economist
The Independent
The Sydney Morning Herald | Sydney Morning Herald
The Globe and Mail
Le Monde
Le Figaro
Der Spiegel
USA Today
Los Angeles Times
Daily Mail
The Daily Telegraph
Newsweek
Forbes
Politico
HuffPost | Huffington Post
BuzzFeed
Google
Alphabet Inc.
Apple | Apple Inc.
Microsoft
Amazon | Amazon.com
Facebook
Meta | Meta Platforms
Twitter
YouTube
Instagram
WhatsApp
TikTok
ByteDance
Netflix
Spotify
Uber
Lyft
Airbnb
Tesla
SpaceX
Intel
AMD
Nvidia
IBM
Oracle
Samsung
Sony
Huawei
Xiaomi
Alibaba
Tencent
Baidu
Yahoo | Yahoo!
eBay
PayPal
LinkedIn
Reddit
Snapchat
Pinterest
Cisco
Dell
Hewlett-Packard | HP
Lenovo
Qualcomm
Adobe
Salesforce
SAP
Nokia
Ericsson
Motorola
BlackBerry
Mozilla
OpenAI
DeepMind
Wikimedia Foundation
Nintendo
Ubisoft
Electronic Arts
Activision Blizzard
Sega
Walt Disney Company | Disney | The Walt Disney Company
Warner Bros. | Warner Bros
Paramount
Comcast
AT&T
Verizon
Vodafone
Deutsche Telekom
Coca-Cola
PepsiCo
McDonald's
Starbucks
Nestlé | Nestle
Unilever
Procter & Gamble
Walmart
Tesco
IKEA | Ikea
Nike
Adidas
L'Oréal
Anheuser-Busch InBev | AB InBev
Anheuser-Busch
Heineken
Carlsberg
ExxonMobil | Exxon Mobil | Exxon
Chevron
BP
Royal Dutch Shell | Shell
TotalEnergies
Gazprom
Rosneft
Saudi Aramco | Aramco
Petrobras
PetroChina
Sinopec
Goldman Sachs
JPMorgan Chase | JPMorgan | JP Morgan
Morgan Stanley
Citigroup
Bank of America
Wells Fargo
HSBC
Barclays
UBS
Credit Suisse
BNP Paribas
Santander
Lloyds Banking Group | Lloyds
BlackRock
Berkshire Hathaway
Mastercard
Federal Reserve | US Federal Reserve
Bank of England
Bank of Japan
People's Bank of China
Reserve Bank of India
Reserve Bank of Australia
Bundesbank
Toyota
Volkswagen
General Motors
Ford Motor Company | Ford
Honda
Nissan
Hyundai
BMW
Mercedes-Benz
Daimler
Fiat
Chrysler
Stellantis
Renault
Peugeot
Volvo
Porsche
Audi
Jaguar Land Rover
Tata Motors
Boeing
Airbus
Lockheed Martin
Raytheon
Northrop Grumman
Embraer
Bombardier
Lufthansa
Air France
KLM
Qantas
Ryanair
easyJet
Aeroflot
Cathay Pacific
Pfizer
Moderna
AstraZeneca
Johnson & Johnson
Novartis
Roche
Merck
GlaxoSmithKline | GSK
Sanofi
Bayer
BioNTech
FIFA
UEFA
International Olympic Committee | IOC
National Football League | NFL
National Basketball Association | NBA
Major League Baseball | MLB
National Hockey League | NHL
NCAA
Premier League
La Liga
Bundesliga
Serie A
World Rugby
World Athletics | IAAF
FIBA
World Anti-Doping Agency | WADA
Real Madrid
FC Barcelona
Bayern Munich
Juventus
Manchester United
Manchester City
Arsenal
Democratic Party
Republican Party | GOP
Conservative Party
Labour Party
Liberal Democrats | Lib Dems
Scottish National Party | SNP
UKIP | UK Independence Party
Sinn Féin | Sinn Fein
Fianna Fáil | Fianna Fail
Fine Gael
African National Congress | ANC
Bharatiya Janata Party | BJP
Indian National Congress
Christian Democratic Union | CDU
Social Democratic Party of Germany | SPD
Alternative for Germany | AfD
Likud
Kuomintang | KMT
Chinese Communist Party | Communist Party of China | CCP
United Russia
FBI | Federal Bureau of Investigation
CIA | Central Intelligence Agency
National Security Agency
NASA
Food and Drug Administration | FDA
Centers for Disease Control and Prevention | CDC
Environmental Protection Agency
MI5
MI6
National Health Service | NHS
Scotland Yard
Harvard University | Harvard
Yale University | Yale
Stanford University | Stanford
Princeton University | Princeton
Massachusetts Institute of Technology | MIT
Oxford University | University of Oxford
Cambridge University | University of Cambridge
Columbia University
UCLA
Caltech
The Beatles | Beatles
The Rolling Stones | Rolling Stones
Led Zeppelin
Pink Floyd
U2
Nirvana
Radiohead
Coldplay
Metallica
ABBA
AC/DC
The Velvet Underground | Velvet Underground
Duran Duran
Sex Pistols
Red Hot Chili Peppers
Guns N' Roses
Aerosmith
Fleetwood Mac
Black Sabbath
Iron Maiden
Depeche Mode
R.E.M.
Bee Gees
Spice Girls
Backstreet Boys
One Direction
Arctic Monkeys
Foo Fighters
Green Day
Linkin Park
BTS
Catholic Church | Roman Catholic Church
Church of England
Anglican Communion
Church of Scientology
Scientology
Church of Jesus Christ of Latter-day Saints
Jehovah's Witnesses
Russian Orthodox Church
Greek Orthodox Church
"""

_WORD = re.compile(r"[A-Za-z0-9ÀÉÈÖÜ][\w.&'’/!-]*")
_CAPS_WORD = re.compile(r"[A-Z]{2,}")


@lru_cache(maxsize=1)
def forms() -> dict[str, str]:
    """Written form → canonical name."""
    out: dict[str, str] = {}
    for line in ORGANISATIONS.strip().splitlines():
        names = [n.strip() for n in line.split("|") if n.strip()]
        for name in names:
            out.setdefault(name, names[0].removeprefix("The "))
    return out


@lru_cache(maxsize=1)
def _by_first_word() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for form in forms():
        index.setdefault(form.split()[0], []).append(form)
    for candidates in index.values():
        candidates.sort(key=len, reverse=True)
    return index


def canonical(name: str) -> str | None:
    """The gazetteer's name for a written form ("WHO" → "World Health Organization"), or None."""
    return forms().get(name)


def hits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, form) of every gazetteer form in ``text``, longest first at each place, on word
    boundaries (a possessive may follow), not inside an all-capitals run."""
    index = _by_first_word()
    out: list[tuple[int, int, str]] = []
    last = 0
    for word in _WORD.finditer(text):
        start = word.start()
        if start < last:
            continue
        token = word.group(0)
        for key in {token, token.rstrip(".,'’!"), re.sub(r"['’]s$", "", token)}:
            for form in index.get(key, ()):
                end = start + len(form)
                if text.startswith(form, start) and _boundary(text, start, end) and not _in_caps(text, start, end):
                    out.append((start, end, form))
                    last = end
                    break
            else:
                continue
            break
    return out


def _boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1 : start]
    after = text[end : end + 1]
    if before and (before.isalnum() or before in "-_@#/&."):
        return False
    if after and (after.isalnum() or after in "-_@&"):
        return False
    return not (after in "." and text[end + 1 : end + 2].isalnum())  # "Amazon.com" vs "Amazon."


def _in_caps(text: str, start: int, end: int) -> bool:
    """A form inside a headline in capitals ("WHO WON"): the words either side are capitals too."""
    left = text[:start].split()[-1:]
    right = text[end:].split()[:1]
    return any(_CAPS_WORD.fullmatch(w.strip(".,:;!?\"'“”")) for w in left + right)
