"""File › Export / Import › REFI-QDA: exchange with NVivo, ATLAS.ti, MAXQDA and QualCoder."""
