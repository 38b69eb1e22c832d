module titus-identity/goverify

go 1.19
