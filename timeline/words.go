package timeline

// Word classes, looked up by lower-case spelling. Only words near a
// candidate date are looked up, so the table costs little per document.
const (
	fYearPrep  uint32 = 1 << iota // may introduce a bare year: "since 2017"
	fMonthPrep                    // may introduce a bare month: "in April"
	fWdPrep                       // may introduce a bare weekday: "on Thursday"
	fDatePrep                     // may lead any full date: "on May 8"
	fMod                          // early, late, mid
	fHead                         // "end of", "summer of"
	fFunc                         // may follow a bare year: "in 2017 the"
	fLabel                        // "No. 8", "Article 6": the number is a label
	fTo                           // closes a range opened by "from"
	fNext
	fLast
	fThis
	fTimeOfDay // "Thursday night"
	fOrdinal   // "first half of 2023"
	fOpen      // "2003 to present"
	fChange    // "rose by 2000": the number is an amount
)

type wordInfo struct {
	flags     uint32
	month     int8 // 1..12
	monthAbbr bool // "Oct": only before a number
	weekday   int8 // time.Weekday + 1
	wdAbbr    bool // "Wed": only before a full date
}

var words = map[string]wordInfo{}

func addWords(f uint32, list ...string) {
	for _, w := range list {
		i := words[w]
		i.flags |= f
		words[w] = i
	}
}

func init() {
	months := []string{"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"}
	for i, m := range months {
		w := words[m]
		w.month = int8(i + 1)
		words[m] = w
		if len(m) > 3 {
			a := words[m[:3]]
			a.month, a.monthAbbr = int8(i+1), true
			words[m[:3]] = a
		}
	}
	a := words["sept"]
	a.month, a.monthAbbr = 9, true
	words["sept"] = a

	weekdays := []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
	for i, d := range weekdays {
		w := words[d]
		w.weekday = int8(i + 1)
		words[d] = w
		a := words[d[:3]]
		a.weekday, a.wdAbbr = int8(i+1), true
		words[d[:3]] = a
	}
	for _, p := range []struct {
		w string
		d int8
	}{{"tues", 3}, {"thur", 5}, {"thurs", 5}} {
		a := words[p.w]
		a.weekday, a.wdAbbr = p.d, true
		words[p.w] = a
	}

	// "on" introduces weekdays and full dates but not bare years: "on 2017"
	// is not English, while "on 2,000 acres" and "on 1500 hectares" are.
	addWords(fYearPrep|fMonthPrep|fWdPrep|fDatePrep,
		"since", "by", "until", "till", "from", "after", "before", "between", "through", "throughout")
	addWords(fYearPrep|fMonthPrep|fDatePrep, "in", "during", "circa")
	addWords(fWdPrep|fDatePrep, "on")
	// "next May" and "last November" depend on whether the month has come
	// yet this year, which the month window does not know; they are left out.
	addWords(fWdPrep|fNext, "next")
	addWords(fWdPrep|fLast, "last")
	addWords(fMonthPrep|fWdPrep|fThis, "this")
	addWords(fWdPrep|fThis, "coming")
	addWords(fMod, "early", "late", "mid")
	addWords(fHead, "end", "beginning", "start", "middle", "summer", "spring", "autumn",
		"fall", "winter", "half", "quarter", "war", "revolution", "elections", "election", "crisis")
	addWords(fOrdinal, "first", "second", "third", "fourth", "last")
	addWords(fTo, "to", "until", "till", "through", "thru")
	addWords(fOpen, "present", "date", "now", "today")
	addWords(fChange, "increased", "increase", "increases", "rose", "risen", "rise", "rises",
		"grew", "grown", "grow", "fell", "fallen", "dropped", "drop", "declined", "decline",
		"decreased", "decrease", "reduced", "reduce", "cut", "up", "down", "jumped",
		"climbed", "soared", "gained", "lost", "raised", "lowered", "exceeded", "expanded",
		"shrank", "multiplied", "numbered", "ranged", "varied", "varies", "range", "vary")
	addWords(fTimeOfDay, "morning", "afternoon", "evening", "night", "noon")
	addWords(fLabel, "no", "nos", "number", "num", "article", "art", "section", "sec",
		"chapter", "ch", "page", "p", "pp", "room", "vol", "volume", "item", "part",
		"paragraph", "para", "clause", "resolution", "fig", "figure", "table", "rule",
		"annex", "appendix", "step", "level", "route", "highway", "flight", "platform",
		"gate", "seat", "apt", "apartment", "suite", "unit", "box", "verse", "psalm",
		"act", "law", "decree", "order", "code", "model", "version", "phase", "tel",
		"phone", "fax", "ext", "id", "ref", "case", "file", "doc", "bus", "train")
	// Words that may follow a bare year. Anything else in lower case is
	// most likely what the number counts ("in 1500 villages"), so the
	// number is not taken for a year.
	addWords(fFunc, "and", "or", "but", "nor", "the", "a", "an", "this", "that", "these",
		"those", "its", "his", "her", "their", "our", "my", "your", "when", "while",
		"where", "whereas", "which", "who", "whom", "whose", "what", "after", "before",
		"since", "until", "till", "as", "at", "by", "for", "from", "in", "into", "of",
		"on", "onto", "to", "with", "without", "within", "under", "over", "through",
		"throughout", "during", "against", "among", "amid", "between", "toward",
		"towards", "via", "than", "if", "because", "although", "though", "so", "yet",
		"then", "there", "here", "it", "he", "she", "they", "we", "i", "you", "was",
		"were", "is", "are", "be", "been", "being", "has", "had", "have", "having",
		"will", "would", "could", "should", "can", "may", "might", "must", "shall",
		"did", "does", "do", "not", "also", "only", "alone", "already", "still", "even",
		"just", "too", "again", "onwards", "onward", "forward", "up", "down", "out",
		"off", "following", "respectively", "later", "earlier", "both", "each", "all",
		"saw", "brought", "became", "marked", "ago")
}
