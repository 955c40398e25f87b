#!/usr/bin/env Rscript
# Reference values for tests/diagnostics.test.ts, computed with R's `posterior` package (the
# reference implementation of Vehtari, Gelman, Simpson, Carpenter & Buerkner 2021,
# "Rank-normalization, folding, and localization: an improved R-hat").
#
# Reads  tests/fixtures/diagnostics/draws.json   (made by scripts/reference/makeDiagnosticsDraws.ts)
# Writes tests/fixtures/diagnostics/expected.json
#
# Run from the project root:  Rscript scripts/reference/diagnostics.R
# Needs: posterior, jsonlite (Debian: apt-get install r-cran-posterior r-cran-jsonlite).

suppressPackageStartupMessages({
  library(posterior)
  library(jsonlite)
})

input <- "tests/fixtures/diagnostics/draws.json"
output <- "tests/fixtures/diagnostics/expected.json"
fixture <- fromJSON(input, simplifyVector = FALSE)

# A statistic, or NA if posterior returns NA or stops with an error.
safely <- function(expr) {
  value <- tryCatch(suppressWarnings(expr), error = function(e) NA_real_)
  if (length(value) != 1) stop("expected a scalar")
  as.numeric(value)
}

summarise_case <- function(case) {
  chains <- lapply(case$chains, function(chain) as.numeric(unlist(chain)))
  # posterior's matrix layout: iterations x chains
  x <- matrix(unlist(chains), ncol = length(chains))
  split_x <- posterior:::.split_chains(x)
  list(
    name = case$name,
    chains = ncol(x),
    draws = nrow(x),
    mean = safely(mean(x)),
    sd = safely(sd(x)),
    q05 = safely(quantile2(x, 0.05, names = FALSE)),
    q50 = safely(quantile2(x, 0.50, names = FALSE)),
    q95 = safely(quantile2(x, 0.95, names = FALSE)),
    rhat = safely(rhat(x)),
    rhat_bulk = safely(posterior:::.rhat(posterior:::z_scale(split_x))),
    rhat_tail = safely(posterior:::.rhat(posterior:::z_scale(posterior:::.split_chains(posterior:::fold_draws(x))))),
    rhat_basic = safely(rhat_basic(x)),
    rhat_basic_nosplit = safely(rhat_basic(x, split = FALSE)),
    ess_bulk = safely(ess_bulk(x)),
    ess_tail = safely(ess_tail(x)),
    ess_basic = safely(ess_basic(x)),
    ess_basic_nosplit = safely(ess_basic(x, split = FALSE)),
    ess_q05 = safely(ess_quantile(x, 0.05, names = FALSE)),
    ess_q95 = safely(ess_quantile(x, 0.95, names = FALSE)),
    mcse_mean = safely(mcse_mean(x)),
    mcse_sd = safely(mcse_sd(x)),
    mcse_q05 = safely(mcse_quantile(x, 0.05, names = FALSE)),
    mcse_q50 = safely(mcse_quantile(x, 0.50, names = FALSE)),
    mcse_q95 = safely(mcse_quantile(x, 0.95, names = FALSE))
  )
}

result <- list(
  generator = "scripts/reference/diagnostics.R",
  posterior_version = as.character(packageVersion("posterior")),
  r_version = R.version.string,
  cases = lapply(fixture$cases, summarise_case),
  normal_quantile = lapply(fixture$normalQuantileProbes, function(p) list(p = p, value = qnorm(p))),
  beta_quantile = lapply(fixture$betaQuantileProbes, function(v) {
    list(p = v[[1]], a = v[[2]], b = v[[3]], value = qbeta(v[[1]], v[[2]], v[[3]]))
  })
)

# Minimal JSON writer with full double precision (jsonlite rounds to 15 significant digits).
to_json <- function(value, indent = "") {
  inner <- paste0(indent, "  ")
  if (is.list(value)) {
    keys <- names(value)
    items <- vapply(value, to_json, character(1), indent = inner)
    if (is.null(keys)) {
      return(paste0("[\n", paste0(inner, items, collapse = ",\n"), "\n", indent, "]"))
    }
    return(paste0("{\n", paste0(inner, '"', keys, '": ', items, collapse = ",\n"), "\n", indent, "}"))
  }
  stopifnot(length(value) == 1)
  if (is.character(value)) return(toJSON(value, auto_unbox = TRUE))
  if (is.na(value)) return("null")
  if (is.infinite(value)) stop("infinite value in output")
  sprintf("%.17g", value)
}

writeLines(to_json(result), output)
cat("wrote", output, "with posterior", result$posterior_version, "\n")
