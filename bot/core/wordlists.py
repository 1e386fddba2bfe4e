"""Word lists used by text normalisation and matching.

Stop words are dropped from every question and phrasing; filler phrases ("can you tell me") are
cut out before that. Generic words are everyday English words that rarely name what a question
is about ("right now", "is it true", "what's behind"): when the knowledge has never seen one,
the matcher gives it a light weight instead of the heavy weight of an unknown topic word such as
"Finland" or "refugees". Maintainers extend the knowledge file's synonyms, not these lists.
"""

from __future__ import annotations


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS = _word_set(
    """
    a an the this that these those it its it's is are was were be been being am do does did
    done doing have has had having of to in on at by for from with as into about than then
    there here and or but if so such i me my we us our you your he him his she her they them
    their what which whats any some can could would should will shall may might must just
    really actually please know knows explain think get got also ok okay well anyway hey pls
    plz u ur r ya yeah yes no not dont doesnt didnt isnt wasnt thing things stuff like one s
    t let lets give me supposed exactly basically even still roughly approximately around
    currently willing hi hello hiya howdy thanks thank thx cheers hasnt havent hadnt arent
    werent cant couldnt shouldnt wouldnt wont aint d ll ve re m willingness doesn isn didn wasn
    hasn haven aren weren couldn wouldn shouldn actualy realy basicly basicaly curently
    hes shes whos hows wheres whens whys thats theres theyre youre im ive weve theyve youve
    itll thatll wouldve couldve shouldve gonna wanna gotta kinda sorta dunno don whom
    """
)

# Chat and meta words: who the reader talks to, how they ask, where they read it. They never
# count against an answer ("yo bot, quick question: ...").
CHAT_WORDS = _word_set(
    """
    bot bro bruh dude mate buddy sir madam yo heyy hiii pls plss plz pleeease thx ty bhai
    yaar smth sth atm nah lowkey highkey ppl omg tbh idk fr ngl q qs lads rn
    """
)

# What a country's people word describes when the country is the topic: its state, forces or
# stance ("the Chinese government", "North Korean troops", "the Hungarian prime minister").
STATE_NOUNS = _word_set(
    """
    government governments president presidents prime minister ministers pm chancellor
    parliament army armed troops forces military soldiers officials leader leaders leadership
    ministry foreign embassy ambassador diplomats authorities regime navy drones missiles
    position stance reaction response war conflict election elections king
    """
)

# Upper-case chat abbreviations that name no country or organisation.
CHAT_ABBREVIATIONS = _word_set(
    """
    ok okay pls plz tldr tl dr btw imo imho lol fyi asap aka idk tbh omg wtf irl ngl rn q qs
    """
)

# Question words carry meaning ("when" vs "how much"), so they are kept.
FILLER_PHRASES = (
    "according to the article",
    "according to the story",
    "according to the headline",
    "according to the piece",
    "according to the report",
    "according to this",
    "the headline says",
    "in the headline",
    "in this piece",
    "in the piece",
    "quick question",
    "quick q",
    "real quick",
    "i have a question",
    "i was wondering",
    "just wondering",
    "can you please tell me",
    "can u tell me",
    "could u tell me",
    "help me understand",
    "does the article say",
    "did the article say",
    "the article says",
    "in the article",
    "in this article",
    "in the story",
    "can you tell me",
    "could you tell me",
    "do you know",
    "i want to know",
    "i would like to know",
    "i'd like to know",
    "i wonder",
    "tell me about",
    "tell me",
    "in order to",
    "good morning",
    "good afternoon",
    "good evening",
    "forgive me",
    "pardon me",
    "pardon my ignorance",
    "excuse me",
    "silly question",
    "remind me",
    "if you'd be so kind",
    "is it correct that",
    "right now",
    "at the moment",
    "as of now",
    "these days",
)

GENERIC_WORDS = _word_set(
    """
    anything something everything nothing anyone someone everyone behind right open away go
    goes going went gone come comes came coming moment straight out sort wait current lately
    recently rather forever stage bring brings brought during since over true false real
    pass begin begins began start starts started ask asks asked mean means meant way ways
    big small little lot lots much many more most less very quite pretty kind bit bits again
    ever never always often sometimes already later latest last next another same different
    own exact instead though although however because while until after both either neither
    each every few several enough only up down off across along through between among within
    without toward towards upon onto via per hmm um uh oh wow lol btw imo huh yep
    nope sure cool great nice guess suppose wonder curious question questions quick look
    looks looking see seen saw make made makes take took taken put want wants wanted need
    gets needs needed try trying tried case fact point matter mind find show shows showed
    shown call called feel felt hear heard understand describe clarify confirm check note
    noted possible possibly probably likely maybe perhaps seem seems seemed certain
    certainly context connect connected connection link linked relate related relation regard
    regarding refer referred reference provide provided direct directly development developments
    further concern concerned envisage envisaged extend extends coincide key main specific
    specifically particular particularly information info exact precisely explicitly clearly
    simply overall general generally essentially effectively actual literally presently aspect
    aspects role involve involved include including included whether thus therefore hence de
    facto according work works working eventually definitely sense convey conveyed rn tho
    correct incorrect accurate inaccurate
    contradict contradicts today route path let letting once scenario couple
    """
)

# Number words read as the digits the article writes ("a thousand days" = "1,000 days"). "one"
# stays a stop word: it is far more often a pronoun ("the other one") than a number.
NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
    "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
    "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50",
    "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100",
    "thousand": "1000", "million": "1000000",
}  # fmt: skip
