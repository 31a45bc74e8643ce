"""Case files for police and regulators: calls, letters and watchlist sightings about one agency gathered into one
timeline, exported as a verifiable package (assist.cases.service)."""
