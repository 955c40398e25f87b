#!/usr/bin/env Rscript
# Reference values for tests/diagnostics.sbc.test.ts, computed in base R (stats: pchisq, qbinom,
# dbinom) independently of the TypeScript code:
# - chi-square upper tail probabilities, pchisq(x, df, lower.tail = FALSE);
# - simultaneous ECDF bands (Saeilynoja, Buerkner & Vehtari 2022, "Graphical test for discrete
#   uniformity and its applications in goodness-of-fit evaluation and multiple sample comparison",
#   section 2.2): for N uniform values at K points z_i = i / K, the exact probability that the ECDF
#   stays inside the pointwise band [qbinom(g / 2, N, z_i), qbinom(1 - g / 2, N, z_i)] (forward
#   recursion over the counts with binomial increments), and the adjusted level g: the largest g
#   whose band covers with probability >= the level (bisection), taken a millionth below the edge
#   of its step (at the edge a quantile of the band flips with rounding). For comparison, the g that R's
#   `optimize` finds for |level - coverage(g)| (the SBC and bayesplot packages' rule) is recorded too.
#
# Writes tests/fixtures/diagnostics/sbc-expected.json. Run from the project root:
#   Rscript scripts/reference/sbc.R
# Needs: jsonlite (Debian: apt-get install r-cran-jsonlite).

suppressPackageStartupMessages(library(jsonlite))

output <- "tests/fixtures/diagnostics/sbc-expected.json"

chi_square <- expand.grid(x = c(0.5, 3.2, 9, 16.9, 30, 100), df = c(1, 3, 9, 19))
chi_square$p <- pchisq(chi_square$x, chi_square$df, lower.tail = FALSE)

coverage <- function(N, K, g) {
  z <- (1:(K - 1)) / K
  lower <- qbinom(g / 2, N, z)
  upper <- qbinom(1 - g / 2, N, z)
  x_prev <- 0
  p_prev <- 1
  z_prev <- 0
  for (i in seq_along(z)) {
    x <- lower[i]:upper[i]
    p_step <- (z[i] - z_prev) / (1 - z_prev)
    p <- sapply(x, function(xi) {
      ok <- x_prev <= xi
      sum(p_prev[ok] * dbinom(xi - x_prev[ok], N - x_prev[ok], p_step))
    })
    x_prev <- x
    p_prev <- p
    z_prev <- z[i]
  }
  sum(p_prev)
}

adjusted_gamma <- function(N, K, level) {
  low <- 0
  high <- 1 - level
  if (coverage(N, K, high) >= level) return(high)
  for (iteration in 1:80) {
    if (high - low <= 1e-14 * high) break
    middle <- (low + high) / 2
    if (coverage(N, K, middle) >= level) low <- middle else high <- middle
  }
  # a millionth below the step's edge, where the band's quantiles do not depend on rounding
  low * (1 - 1e-6)
}

cases <- list(c(20, 20, 0.95), c(50, 25, 0.95), c(100, 50, 0.99), c(200, 100, 0.95), c(200, 20, 0.9))
bands <- lapply(cases, function(case) {
  N <- case[1]; K <- case[2]; level <- case[3]
  g <- adjusted_gamma(N, K, level)
  z <- (0:K) / K
  optimized <- optimize(function(g) abs(level - coverage(N, K, g)), c(0, 1 - level))$minimum
  list(
    samples = N, points = K, level = level, gamma = g, coverage = coverage(N, K, g),
    lower = as.integer(qbinom(g / 2, N, z)), upper = as.integer(qbinom(1 - g / 2, N, z)),
    coverage_at_pointwise_level = coverage(N, K, 1 - level),
    gamma_optimize = optimized, coverage_optimize = coverage(N, K, optimized)
  )
})

result <- list(
  r_version = R.version.string,
  chi_square = lapply(seq_len(nrow(chi_square)), function(i) as.list(chi_square[i, ])),
  bands = bands
)
writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, pretty = TRUE), output)
cat("wrote", output, "\n")
