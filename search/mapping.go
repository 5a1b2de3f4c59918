package search

import (
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"

	"dossier/notes"
)

// Index fields. Only what a query, a facet or a hit needs is kept: words
// are indexed with positions (phrases and match locations need them) but
// not stored; no field has doc values (facets.go counts facets without
// them); the metadata a hit shows is stored once, in fieldMeta.
const (
	fieldText        = "text"
	fieldTitle       = "title"
	fieldAuthor      = "author"
	fieldSource      = "source" // words of the source, for source:radio
	fieldSourceFacet = "source_facet"
	fieldType        = "type"
	fieldYear        = "year"  // YYYY, or undatedYear
	fieldMonth       = "month" // YYYY-MM, for date ranges
	fieldDay         = "day"   // YYYY-MM-DD, for date ranges
	fieldFormat      = "format"
	fieldGrade       = "grade"
	fieldTag         = "tag"       // one term per tag, lower-cased, without '#'
	fieldPublished   = "published" // a query field only: see dateRange
	fieldMeta        = "meta"
)

// undatedYear is the year facet value of documents without a known date.
const undatedYear = "undated"

// buildMapping describes the fields as Index builds them. Documents are
// built directly (see indexDocument), not mapped from structs, but queries
// look up the analyzer of a field here, and Bleve keeps it in the index.
func buildMapping() *mapping.IndexMappingImpl {
	words := func(store bool) *mapping.FieldMapping {
		return &mapping.FieldMapping{Type: "text", Analyzer: wordsAnalyzerName, Index: true,
			IncludeTermVectors: true, Store: store}
	}
	kw := func() *mapping.FieldMapping {
		return &mapping.FieldMapping{Type: "text", Analyzer: keyword.Name, Index: true, SkipFreqNorm: true}
	}
	dm := mapping.NewDocumentStaticMapping()
	dm.Dynamic = false
	dm.AddFieldMappingsAt(fieldText, words(false))
	dm.AddFieldMappingsAt(fieldTitle, words(false))
	dm.AddFieldMappingsAt(fieldAuthor, words(false))
	dm.AddFieldMappingsAt(fieldSource, words(false))
	dm.AddFieldMappingsAt(fieldSourceFacet, kw())
	dm.AddFieldMappingsAt(fieldType, kw())
	dm.AddFieldMappingsAt(fieldYear, kw())
	dm.AddFieldMappingsAt(fieldFormat, kw())
	dm.AddFieldMappingsAt(fieldGrade, kw())
	dm.AddFieldMappingsAt(fieldTag, kw())
	dm.AddFieldMappingsAt(fieldMonth, kw())
	dm.AddFieldMappingsAt(fieldDay, kw())
	dm.AddFieldMappingsAt(fieldMeta, &mapping.FieldMapping{Type: "text", Store: true})

	m := mapping.NewIndexMapping()
	m.DefaultMapping = dm
	m.DefaultAnalyzer = wordsAnalyzerName
	m.DefaultField = fieldText
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	return m
}

// meta is what a hit shows without a trip to the store. It is stored as
// its fields joined by metaSep, in this order: JSON would add a quarter to
// its size for the keys.
type meta struct {
	Type, Title, Author, Source string
	Published                   notes.Date // its String keeps the precision
	Grade                       string
}

const metaSep = "\x1f" // ASCII unit separator

func (m meta) encode() []byte {
	clean := func(s string) string { return strings.ReplaceAll(s, metaSep, " ") }
	return []byte(strings.Join([]string{clean(m.Type), clean(m.Title), clean(m.Author), clean(m.Source),
		m.Published.String(), clean(m.Grade)}, metaSep))
}

func decodeMeta(s string) meta {
	f := strings.Split(s, metaSep)
	for len(f) < 6 {
		f = append(f, "")
	}
	pub, _ := notes.ParseDate(f[4])
	return meta{Type: f[0], Title: f[1], Author: f[2], Source: f[3], Published: pub, Grade: f[5]}
}

// Indexing options. Keyword fields never score (they filter, or count in
// facets), so they skip frequencies and norms, which would cost six bytes
// per value. Facet fields (see facetIndexFields) need no doc values either:
// facets.go reads their postings.
const (
	optWords   = bindex.IndexField | bindex.IncludeTermVectors
	optKeyword = bindex.IndexField | bindex.SkipFreqNorm
)

// indexItem builds the index document of it. With allFields it has every
// field, those it lacks empty (no terms): IndexItems asks for one such
// document per batch and shard, so that every segment defines every field.
// Zap numbers a segment's fields in name order, and merges copy a
// segment's postings as they are only when its fields keep their numbers in
// the merged segment; otherwise it decodes and re-encodes every posting,
// three to four times the work (a batch of files without an author or a
// date merged with one of e-mails).
func indexItem(it *notes.Item, allFields bool) *document.Document {
	kind := it.Kind
	if kind == "" {
		kind = notes.KindSource
	}
	m := meta{Type: kind, Title: it.Title, Author: it.Author, Source: it.Source,
		Published: it.Published, Grade: it.Grade}.encode()
	doc := document.NewDocument(it.ID)
	words := func(name, value string) {
		if value != "" || allFields {
			doc.AddField(newWordsField(name, value, optWords))
		}
	}
	// A nil analyzer indexes the value as one term.
	keyword := func(name, value string) {
		switch {
		case value != "":
			doc.AddField(document.NewTextFieldCustom(name, nil, []byte(value), optKeyword, nil))
		case allFields:
			doc.AddField(newWordsField(name, "", optKeyword))
		}
	}
	words(fieldText, it.Text)
	words(fieldTitle, it.Title)
	words(fieldAuthor, it.Author)
	words(fieldSource, it.Source)
	keyword(fieldSourceFacet, it.Source)
	keyword(fieldType, kind)
	keyword(fieldFormat, normalizeKeyword(fieldFormat, it.MediaType))
	keyword(fieldGrade, normalizeKeyword(fieldGrade, it.Grade))
	seen := map[string]bool{}
	for _, t := range it.Tags {
		t = normalizeKeyword(fieldTag, t)
		if t != "" && !seen[t] {
			seen[t] = true
			keyword(fieldTag, t)
		}
	}
	if len(seen) == 0 {
		keyword(fieldTag, "")
	}
	if it.Published.Known() {
		// The day its period begins, as every precision has one: a date
		// range finds "2023-10" where it would find 2023-10-01. This costs
		// three short terms, where a Bleve datetime field costs sixteen.
		t := it.Published.Time
		keyword(fieldYear, yearTerm(t))
		keyword(fieldMonth, t.Format("2006-01"))
		keyword(fieldDay, t.Format(time.DateOnly))
	} else {
		keyword(fieldYear, undatedYear)
		keyword(fieldMonth, "")
		keyword(fieldDay, "")
	}
	doc.AddField(document.NewTextFieldCustom(fieldMeta, nil, m, bindex.StoreField, nil))
	return doc
}

// normalizeKeyword brings a keyword value to the form it is indexed in, so
// that grade:b2 finds "B2" and format:TEXT/HTML finds "text/html".
func normalizeKeyword(field, v string) string {
	v = strings.TrimSpace(v)
	switch field {
	case fieldGrade:
		return strings.ToUpper(v)
	case fieldType, fieldFormat, fieldYear:
		return strings.ToLower(v)
	case fieldTag:
		return strings.ToLower(strings.TrimPrefix(v, "#"))
	}
	return v
}
