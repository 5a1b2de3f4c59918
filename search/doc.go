// Package search implements notes.Index over Bleve: the mapping, batched
// indexing, the query syntax, facets, filters and snippets. The index is
// derived data kept in a folder; it stores no texts (snippets and match
// spans are cut from the text a TextSource gives for the hits shown), and
// it can always be thrown away and rebuilt from the store.
//
// # Query syntax
//
// Words match whole and regardless of case; nothing is stemmed and no word
// is ignored, so ships does not find ship (use ship*). Anything that is not
// a letter or a digit separates words: Russia’s is the two words russia and
// s, 2,000 is 2 and 000, and a phrase ignores the punctuation between its
// words. Accents count (cafe does not find café), however they are encoded:
// é typed as one character finds e followed by a combining accent. Soft
// hyphens and zero width joiners inside a word are ignored.
//
//	kant airbase          either word (documents with both rank first)
//	+kant +airbase        both words: + means the word must be there
//	kant -manas           kant but not manas: - excludes
//	"operational since 2017"
//	                      the exact phrase, ignoring case and the
//	                      punctuation between its words
//	russia's  kant-manas  a word with punctuation inside is a phrase
//	title:ceremony        a word in one field: title, text, author, source
//	author:"leila saralaeva"
//	                      a phrase in one field
//	type:source year:2023 format:text/html grade:B2 year:undated
//	                      documents with these values (case does not matter)
//	grade:E  grade:2      every grade of an E source (E1–E6), every grade
//	                      with credibility 2
//	japarov~  japarov~2   fuzzy: within 1 (or 2) letters of the word
//	deploy*   k?nt        prefix and wildcards (* any letters, ? one)
//	published:>="2023-01-01" published:<"2024-01-01"
//	                      a publication date range, with >, >=, < and <=
//	published:>=2023  published:<="2023-10"  year:>=2020
//	                      partial dates mean their whole period, so
//	                      <="2023-10" includes all of October
//	published:2023-10     published in that year, month or day
//	kant^3                weigh a term more
//
// Words without a field search the text and the title (a title match
// weighs double); phrases without a field search the text only, so that a
// phrase finds exactly the documents whose text contains it.
//
// Clauses on type, year, format, grade, source and published narrow the
// results, like the facet filters, instead of adding alternatives: kant
// year:2023 finds kant in documents of 2023. Values of one field are
// alternatives (year:2003 year:2023); different fields, and every date
// comparison, must all hold. Written with + or -, they are ordinary
// required or excluded clauses.
//
// A date is compared by the first day of its period: a document dated
// "2023-10" (month precision) is in published:>="2023-09-15" and not in
// published:>="2023-10-02". Undated documents match no date range;
// year:undated finds them. A query may have at most 16 prefix, wildcard or
// fuzzy terms, and each may expand to at most 4,096 different words in
// each of the index's shards (two; each holds about half the documents).
// An empty query, or *, matches everything.
//
// With SearchRequest.PrefixLast (search as you type), the last word is
// also a prefix once it has two letters, unless the query ends with a
// space or the word is a phrase, has a field, or is already fuzzy or a
// wildcard: "kyrgyz pres" finds "president". If that prefix expands to too
// many words, the word is searched as typed.
package search
