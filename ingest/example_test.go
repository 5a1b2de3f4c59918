package ingest_test

import (
	"fmt"

	"dossier/ingest"
)

func ExampleParse() {
	data := []byte("Kyrgyzstan Sticks Close to Russia\n\n" +
		"Author: [Leila Saralaeva](#)\n" +
		"Wed Oct 29 2003\n\n" +
		"Russian president Vladimir Putin attended the October 23 ceremony.\n\n" +
		"Source URL: <https://iwpr.net/global-voices/kyrgyzstan-sticks-close-russia>\n")
	doc, err := ingest.Parse("kant.txt", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.Title)
	fmt.Println(doc.Author, "|", doc.Source, "|", doc.Published, doc.Published.Precision)
	fmt.Println(doc.Importer, doc.MediaType)

	_, err = ingest.Parse("scan.djvu", []byte("AT&TFORM"))
	fmt.Println(err)
	// Output:
	// Kyrgyzstan Sticks Close to Russia
	// Leila Saralaeva | iwpr.net | 2003-10-29 day
	// text/2 text/plain
	// unsupported file type .djvu
}
