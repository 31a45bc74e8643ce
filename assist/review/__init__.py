"""Document review: read a submitted 授权委托书, complaint letter or hardship certificate (text, PDF, DOCX, or a scan
through OCR), check it with evidence, and find the earlier documents it nearly copies.

reader -> checks (authorisation, complaint, certificate; what signals.yaml says comes in as a ReviewPolicy) ->
similarity -> service (one document) / batch + report (a folder). OCR, PDF/DOCX, sketches and the store are ports."""
