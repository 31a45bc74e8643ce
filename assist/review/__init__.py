"""Document review (issue 8): read a submitted 授权委托书, complaint letter or hardship certificate (text, PDF, DOCX,
or a scan through offline OCR), check it with evidence, and find the earlier documents it nearly copies.

reader/ocr -> checks (authorisation, complaint, certificate) -> similarity + store -> service -> cli / api / ui;
batch + report for folders; synth builds the synthetic corpus the tests and bench/review.py use. Nothing heavy is
imported here."""
