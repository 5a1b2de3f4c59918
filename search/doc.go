// Package search implements notes.Index over Bleve: the mapping, batched
// indexing, the query syntax, facets, filters and snippets. The index is
// derived data kept in a folder; it stores no texts (snippets and match
// spans are cut from the text a TextSource gives for the hits shown), and
// it can always be thrown away and rebuilt from the store.
//
// # Query syntax
//
// Words are matched whole and without regard to case; nothing is stemmed
// and no word is ignored, so ships does not find ship (use ship*). Punctuation separates words:
// Russia’s is the two words russia and s, and 2,000 is 2 and 000.
//
//	kant airbase          either word (documents with both rank first)
//	+kant +airbase        both words: + means the word must be there
//	kant -manas           kant but not manas: - excludes
//	"operational since 2017"
//	                      the exact phrase, ignoring case and the
//	                      punctuation between its words
//	russia's, kant-manas  a word with punctuation inside is a phrase
//	title:ceremony        a word in one field; fields are title, text,
//	                      author, source, type, year, format, grade,
//	                      published
//	author:"leila saralaeva"
//	                      a phrase in one field
//	type:source year:2023 format:text/html grade:B2 year:undated
//	                      facet values (case does not matter)
//	japarov~  japarov~2   fuzzy: within 1 (or 2) letters of the word
//	deploy*   k?nt        prefix and wildcards (* any letters, ? one)
//	published:>="2023-01-01" published:<"2024-01-01"
//	                      publication date ranges, with >, >=, < and <=
//	published:>=2023 published:<="2023-10"  year:>=2020
//	                      partial dates mean the whole period, so
//	                      <="2023-10" includes all of October
//	published:2023-10     published in that year, month or day
//	kant^3                weigh a term more
//
// Terms without a field search the text and the title (a title match
// weighs double); phrases without a field search the text only. Undated
// documents have no publication date: they match no date range, and
// year:undated finds them. A prefix, wildcard or fuzzy term may expand to
// at most 1,024 different words. An empty query matches everything.
//
// With SearchRequest.PrefixLast (search as you type), the last word is
// also a prefix once it has two letters, unless the query ends with a
// space, or the word is a phrase, has a field, or is already fuzzy or a
// wildcard: "kyrgyz pres" finds "president".
package search
