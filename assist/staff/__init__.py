"""Per-turn assistance for front-line staff (坐席): sessions, the risk hint, ranked approved scripts with citations,
the compliance guard, the optional LLM rewrite, feedback and the 疑似代理 tag."""
