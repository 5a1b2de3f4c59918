package ingest_test

import "dossier/notes"

// emailCases join TestParse's table; they are kept here, beside the e-mail
// importer's other tests, because each pins one defect of that importer.
var emailCases = []struct {
	file string
	want want
}{
	// format=flowed (RFC 3676): a line joins the next only at the same quote
	// depth, and the continuation's quote marks and stuffing go.
	{"email/rw-flowed-quoted.eml", want{
		title: "Re: report", author: "Bob", source: "example.org",
		date: "2023-10-11", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "Thanks, that works for me. I will send the report tomorrow.\n\n" +
			"On 10.10.2023 12:00, Jane Doe wrote:\n" +
			"> The report covers the lease agreement and the hangars.\n" +
			">> Earlier quoted text that was also flowed over two lines.\n" +
			"> A quoted line that flows into a deeper one \n>> stays apart.\n" +
			">\n> -- \n> Jane\n",
	}},
	{"email/rw-flowed-delsp.eml", want{
		title: "DelSp", author: "Ann", source: "example.org",
		date: "2023-10-11", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "A long German compound: Donaudampfschiff.\n> Quoted and split.\n",
	}},

	// Raw 8-bit headers are read in the charset the first text part
	// declares when the message's own Content-Type names none.
	{"email/rw-raw8-gb2312.eml", want{
		title: "关于空军基地的报告", author: "王小明", source: "example.cn",
		date: "2023-10-11", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "这是正文。",
	}},

	// Charset names that mail programs write and neither the WHATWG nor the
	// IANA registry knows, and an RFC 2231 language after the charset.
	{"email/rw-charset-aliases.eml", want{
		title: "한국会議 and Темаé", author: "Иван", source: "example.ru",
		date: "2023-10-11", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "Café € 1+1\n\n한국어 text\n\nУкраїна Ґанок\n\n한국\n\n会議\n\n会議",
	}},
	// An unknown charset: UTF-8 bytes are read as they are, others are left
	// encoded rather than guessed.
	{"email/rw-charset-unknown.eml", want{
		title: "Тема plain words", author: "=?x-unknown?B?0uXs4A==?=", source: "example.org",
		date: "2023-10-11", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "Body.\n",
	}},

	// A forwarded message, attached or inline, reads with its own sender,
	// date and subject; a message without text names what it carries.
	{"email/rw-fwd-attached.eml", want{
		title: "FW: Original report", author: "Jane", source: "example.org",
		date: "2023-10-11", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "From: Ivan <ivan@example.ru>\nDate: Mon, 9 Oct 2023 08:00:00 +0300\nSubject: Original report\n\n" +
			"The original report text.",
	}},
	{"email/rw-fwd-inline.eml", want{
		title: "Fwd: Original", author: "Jane Doe", source: "example.org",
		date: "2023-10-11", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "See below.\n\nFrom: Иван <ivan@example.ru>\nDate: Mon, 9 Oct 2023 08:00:00 +0300\nSubject: Original\n\n" +
			"Текст в KOI8-R.",
	}},
	{"email/rw-attach-only.eml", want{
		title: "Scanned document", author: "Scanner", source: "example.org",
		date: "2023-10-11", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "From: Scanner <scan@example.org>\nDate: Wed, 11 Oct 2023 10:00:00 +0600\nSubject: Scanned document\n\n" +
			"Attachments: scan.pdf (application/pdf), frühling.jpg (image/jpeg)\n",
	}},
	{"email/attachment-only.eml", want{
		title: "Only a file", author: "a@example.org", source: "example.org",
		date: "2023-10-16", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "From: a@example.org\nDate: Mon, 16 Oct 2023 10:00:00 +0000\nSubject: Only a file\n\n" +
			"Attachments: data.bin (application/octet-stream)\n",
	}},
	{"email/rw-nobody.eml", want{
		title: "Test", author: "Jane Doe", source: "example.org",
		date: "2023-10-11", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "From: Jane Doe <jane@example.org>\nDate: Wed, 11 Oct 2023 10:00:00 +0600\nSubject: Test\n",
	}},

	// An asctime Date, as Unix mail tools write it.
	{"email/rw-date-asctime.eml", want{
		title: "Asctime", author: "Jane Doe", source: "example.org",
		date: "2023-10-11", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "Body text.\n",
	}},
}

func init() { parseCases = append(parseCases, emailCases...) }
