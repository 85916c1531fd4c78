"""Closed word lists the NLP rules rely on: titles, roles, speech verbs, country variants, demonyms.

Generic English/news vocabulary only; nothing here names a particular person or article.
"""

from __future__ import annotations

#: Words that precede a person's name as a title or role ("French President Emmanuel Macron").
TITLE_WORDS = frozenset(
    """
    mr mrs ms miss dr prof professor sir dame lord lady madam mister
    president vice prime minister secretary chancellor premier senator sen rep representative
    congressman congresswoman governor gov mayor deputy chief general gen colonel col major maj
    captain capt lieutenant lt sergeant sgt admiral adm commander officer ambassador envoy
    judge justice attorney king queen prince princess pope cardinal bishop archbishop rev reverend
    father sheikh emir chairman chairwoman chair ceo founder director head spokesman spokeswoman
    spokesperson adviser advisor aide coach manager leader inspector superintendent commissioner
    councillor councilor mp mep state foreign defence defense finance home interior health trade
    justice labor labour education culture environment economy energy treasury former acting
    presidential senior junior opposition party national federal
    """.split()
)

#: Endings of one-word abstract nouns the model labels ORG ("Islamophobia", "Homeopathy", "Populism").
ABSTRACT_SUFFIXES = ("ism", "phobia", "pathy")
#: Capitalised tokens the model labels as entities that never are (time zones).
NOT_NAMES = frozenset("GMT UTC BST CET CEST EST EDT CST CDT MST MDT PST PDT".split())

#: Institution names every country has: after a country qualifier they keep it ("U.S. Air Force").
ARMED_FORCES = frozenset(["army", "navy", "air force", "marine corps", "marines", "coast guard", "space force"])

#: Lowercase occupations that, right before a name, show it is a person ("fashion designer Halston").
OCCUPATIONS = frozenset(
    """
    designer singer singer-songwriter songwriter actor actress artist artists photographer photographers
    painter sculptor poet novelist author writer journalist reporter musician composer rapper dancer
    comedian filmmaker athlete athletes footballer goalkeeper striker midfielder cyclist golfer boxer
    swimmer skier cricketer batsman quarterback scientist physicist chemist biologist historian
    philosopher architect lawyer businessman businesswoman entrepreneur billionaire activist politician
    lawmaker legislator
    """.split()
)

#: Capitalised words before "government" that name a party or kind of rule, not a leader.
POLITICAL_WORDS = frozenset(
    """
    conservative conservatives liberal liberals labour labor socialist socialists communist communists
    democratic democrat democrats republican republicans coalition military federal interim provisional
    transitional national nationalist unionist green greens tory tories whig junta
    """.split()
)

#: Hyphenated tails that make a name an adjective, never part of it ("Kuala Lumpur-based").
COMBINING_SUFFIXES = frozenset(
    "based born led backed owned run style made era bound wide controlled related focused held "
    "funded linked listed registered speaking made".split()
)

#: Title words that are also a party's name on their own ("Labour said"; model label ORG).
PARTY_WORDS = frozenset("labour labor".split())

#: Titles that, right before a name outside an entity span, prove the name is a person.
PERSON_TITLES = frozenset(
    """
    mr mrs ms miss dr sir dame lord lady president minister secretary chancellor premier senator sen
    rep congressman congresswoman governor gov mayor gen colonel col capt lt sgt ambassador envoy judge
    justice king queen prince princess pope cardinal bishop archbishop rev sheikh emir chairman
    chairwoman ceo spokesman spokeswoman spokesperson adviser advisor aide coach
    """.split()
)

#: Titles that mark the bearer's gender ("Ms Hewitt" → she).
FEMALE_TITLES = frozenset("mrs ms miss dame lady madam queen princess spokeswoman chairwoman congresswoman".split())
MALE_TITLES = frozenset("mr sir lord mister king prince spokesman chairman congressman father".split())

#: Roles that, in an apposition after a name ("X, president of Y"), show the name is a person.
ROLE_WORDS = TITLE_WORDS - frozenset(
    "state foreign defence defense finance home interior health trade labor labour education culture "
    "environment economy energy treasury former acting presidential senior junior opposition party "
    "national federal head".split()
) | frozenset("analyst expert economist professor researcher fellow author writer editor member partner".split())

#: Speech verbs, every inflection that signals reported speech ("pointed" needs "out").
SPEECH_VERBS = frozenset(
    """
    say says said saying state states stated stating note notes noted noting tell tells told telling
    add adds added adding emphasize emphasizes emphasized emphasizing emphasise emphasises emphasised
    emphasising highlight highlights highlighted highlighting warn warns warned warning announce
    announces announced announcing characterize characterizes characterized characterizing
    characterise characterises characterised characterising relay relays relayed relaying share shares
    shared sharing explain explains explained explaining argue argues argued arguing insist insists
    insisted insisting claim claims claimed claiming stress stresses stressed stressing reply replies
    replied replying declare declares declared declaring acknowledge acknowledges acknowledged
    acknowledging admit admits admitted admitting remark remarks remarked urge urges urged vow vows
    vowed comment comments commented write writes wrote writing tweet tweets tweeted
    """.split()
)
#: Verbs that are speech only with a particle ("pointed out").
PHRASAL_SPEECH = {"point": "out", "points": "out", "pointed": "out", "pointing": "out"}

#: Common variant spellings of places and organisations → one name.
VARIANTS = {
    "u.s.": "United States",
    "us": "United States",
    "u.s": "United States",
    "usa": "United States",
    "u.s.a.": "United States",
    "america": "United States",
    "united states of america": "United States",
    "uk": "United Kingdom",
    "u.k.": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "eu": "European Union",
    "e.u.": "European Union",
    "un": "United Nations",
    "u.n.": "United Nations",
    "uae": "United Arab Emirates",
    "ussr": "Soviet Union",
    "prc": "China",
    "people's republic of china": "China",
    "korea republic": "South Korea",
    "republic of korea": "South Korea",
    "rok": "South Korea",
    "dpr korea": "North Korea",
    "dprk": "North Korea",
    "democratic people's republic of korea": "North Korea",
}

#: Last words that make a name an organisation whatever the model's label ("Edmonton Sun", "Acme Ltd").
ORG_HEAD_WORDS = frozenset(
    """
    inc inc. ltd ltd. llc plc corp corp. corporation company co co. group holdings bank airlines airways
    party movement alliance league union association federation council committee commission ministry
    department agency authority bureau office service services board institute institution foundation
    university college school academy society church army navy force forces police court parliament
    assembly congress senate government club team news times post herald gazette journal tribune
    telegraph guardian star sun daily weekly magazine press network radio television tv broadcasting
    cos ag sa nv n.v. bv b.v. gmbh spa s.p.a. ab asa oy kk bhd pte pty na n.a. nl n.l. bsc srl sarl
    """.split()
)
#: Head words strong enough to make an untagged capitalised run an organisation ("Toronto Star").
ORG_HEADS_SEEN = frozenset(
    """
    inc ltd llc plc corp corporation company group holdings bank airlines airways party alliance league
    association federation council committee commission ministry agency authority bureau foundation
    university institute society police court club fc united news times post herald gazette journal
    tribune telegraph star daily press
    """.split()
)
#: Last words of publication names ("The Wall Street Journal", "the Sydney Morning Herald").
PRESS_WORDS = frozenset(
    "news times post herald gazette journal tribune telegraph guardian star daily weekly magazine press".split()
)
#: First words of organisations named "X of Y" ("University of Sydney", "Ministry of Interior").
ORG_FIRST_WORDS = frozenset(
    "university ministry department institute church bank council league federation union college "
    "association society party office commission committee board bureau instituto universidad".split()
)

#: Words that end a caption and run into the model's span ("Washington D.C. Image: United States Navy").
CAPTION_WORDS = frozenset("image photo photograph picture video credit file source".split())

#: Prepositions that, right before a bare name with no organisation word, point to a place ("in Tuscany").
PLACE_PREPOSITIONS = frozenset("in near across throughout outside inside".split())

#: Common given names (a small generic list): a two- or three-word ORG/place whose first word is one of
#: these is a person ("founded by Dean Kamen").
FIRST_NAMES = frozenset(
    """
    james john robert michael william david richard joseph thomas charles christopher daniel matthew
    anthony mark donald steven steve paul andrew joshua kenneth kevin brian george timothy ronald edward
    jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin
    samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry
    douglas zachary peter kyle ethan walter noah jeremy christian keith roger terry gerald harold sean
    carl arthur lawrence dylan jesse bryan billy joe bruce gabriel logan albert willie
    alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip louis dean chris
    tony tom bill bob mike jim tim dan ben sam nick alex max ian hugh neil simon martin boris vladimir
    sergei sergey dmitry ivan igor olga pierre jean jacques francois emmanuel marie luis carlos miguel
    antonio mario giuseppe marco luca giovanni hans klaus angela mohammed muhammad ahmed ali omar hassan
    hussein abdul mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
    betty margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah
    stephanie rebecca sharon laura cynthia kathleen amy shirley anna angela helen brenda pamela nicole
    emma samantha katherine christine debra rachel catherine carolyn janet ruth maria heather diane
    julie joyce kelly christina lauren joan evelyn judith megan cheryl andrea hannah
    martha jacqueline frances gloria ann teresa kathryn sara janice jean alice doris abigail
    julia judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany natalie
    isabella rose alexis kayla annie lydia claire hillary theresa nicola
    """.split()
)

#: Demonyms the model sometimes labels as places ("Ukrainian officials"); suffix rules catch most.
DEMONYM_SUFFIXES = ("ian", "ians", "ean", "eans", "ican", "icans", "ese", "ish")
DEMONYMS = frozenset(
    """
    afghan afghans thai iraqi iraqis israeli israelis pakistani pakistanis saudi saudis kuwaiti qatari
    yemeni omani bangladeshi somali swiss dutch french greek greeks czech welsh irish danish turkish
    british english spanish polish swedish finnish scottish american americans european europeans
    african africans asian asians arab arabs muslim muslims christian christians jewish catholic
    """.split()
)
#: Pronouns that can stand for a person speaker, with gender.
PRONOUNS = {"he": "m", "she": "f"}

#: Words that surround publisher navigation, never entities there.
NAV_SEPARATORS = "|•·"

#: Head words of buildings and sites: an "organisation" named by one is a place ("Museum of Flight").
FACILITY_WORDS = frozenset(
    """
    museum center centre hall base stadium arena airport station tower towers temple mosque cathedral
    palace bridge park square street road planetarium memorial
    """.split()
)
