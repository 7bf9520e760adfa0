# Reference values for the part A statistics tests, from base R (4.2.2). Run through part-a.py,
# which merges this script's JSON with scipy/statsmodels values into test/fixtures/stats/part-a.json:
#   /usr/bin/python3 test/stats/reference/part-a.py > test/fixtures/stats/part-a.json
options(digits = 17)

to_json <- function(v) {
  if (is.list(v)) {
    if (!is.null(names(v))) {
      items <- mapply(function(k, x) paste0('"', k, '": ', to_json(x)), names(v), v)
      return(paste0("{", paste(items, collapse = ", "), "}"))
    }
    return(paste0("[", paste(vapply(v, to_json, ""), collapse = ", "), "]"))
  }
  if (is.character(v)) return(paste0('"', v, '"'))
  stopifnot(!any(is.na(v)))
  s <- ifelse(is.infinite(v), ifelse(v > 0, '"Infinity"', '"-Infinity"'), sprintf("%.17g", v))
  if (length(v) == 1) s else paste0("[", paste(s, collapse = ", "), "]")
}
alt_r <- function(a) if (a == "two-sided") "two.sided" else a
case <- function(args, expected, source) list(args = args, expected = expected, source = source)

# binomialTest: p from binom.test; mid-p from dbinom/pbinom.
binomial <- lapply(list(
  list(3, 20, 0.4, "two-sided"), list(3, 20, 0.4, "less"), list(3, 20, 0.4, "greater"),
  list(15, 20, 0.4, "two-sided"), list(480, 500, 0.95, "two-sided"), list(480, 500, 0.95, "less"),
  list(0, 50, 0.01, "two-sided"), list(0, 50, 0.01, "greater"), list(50, 50, 0.9, "two-sided"),
  list(7, 1000, 0.002, "two-sided"), list(7, 1000, 0.002, "greater"), list(1, 1, 0.5, "two-sided"),
  list(120, 100000, 0.001, "two-sided"), list(60, 100000, 0.001, "two-sided"),
  list(2, 6, 0.5, "two-sided"), list(40, 200, 0.1, "greater")
), function(a) {
  x <- a[[1]]; n <- a[[2]]; p <- a[[3]]; alt <- a[[4]]
  pv <- binom.test(x, n, p, alternative = alt_r(alt))$p.value
  px <- dbinom(x, n, p)
  mid <- switch(alt, "less" = pbinom(x - 1, n, p) + px / 2,
                "greater" = pbinom(x, n, p, lower.tail = FALSE) + px / 2, pv - px / 2)
  case(list(x = x, n = n, p0 = p, alternative = alt), list(pValue = pv, midP = mid),
       sprintf("binom.test(%d, %d, %g, '%s')", x, n, p, alt_r(alt)))
})

# clopperPearson (two-sided) and one-sided bounds from binom.test's conf.int.
clopper <- lapply(list(list(0, 10, 0.95), list(10, 10, 0.95), list(3, 20, 0.95), list(480, 500, 0.95),
                       list(1, 1000, 0.99), list(17, 60, 0.9)), function(a) {
  ci <- binom.test(a[[1]], a[[2]], conf.level = a[[3]])$conf.int
  case(list(x = a[[1]], n = a[[2]], confidence = a[[3]]), list(lower = ci[1], upper = ci[2]),
       sprintf("binom.test(%d, %d, conf.level = %g)$conf.int", a[[1]], a[[2]], a[[3]]))
})
clopper_upper <- lapply(list(list(0, 100, 0.05), list(0, 3000, 0.01), list(2, 300, 0.05), list(5, 1000, 0.01),
                             list(9, 10, 0.05)), function(a) {
  u <- binom.test(a[[1]], a[[2]], alternative = "less", conf.level = 1 - a[[3]])$conf.int[2]
  case(list(x = a[[1]], n = a[[2]], alpha = a[[3]]), list(upper = u),
       sprintf("binom.test(%d, %d, alternative = 'less', conf.level = 1 - %g)$conf.int[2]", a[[1]], a[[2]], a[[3]]))
})
clopper_lower <- lapply(list(list(1, 100, 0.05), list(250, 300, 0.01), list(10, 10, 0.05)), function(a) {
  l <- binom.test(a[[1]], a[[2]], alternative = "greater", conf.level = 1 - a[[3]])$conf.int[1]
  case(list(x = a[[1]], n = a[[2]], alpha = a[[3]]), list(lower = l),
       sprintf("binom.test(%d, %d, alternative = 'greater', conf.level = 1 - %g)$conf.int[1]", a[[1]], a[[2]], a[[3]]))
})

# twoProportionZ: z = signed sqrt of prop.test(correct = FALSE)'s X-squared.
two_prop <- lapply(list(list(480, 500, 9500, 10000), list(12, 400, 5, 420), list(3, 10, 9, 12),
                        list(1, 2000, 0, 1500)), function(a) {
  r <- suppressWarnings(prop.test(c(a[[1]], a[[3]]), c(a[[2]], a[[4]]), correct = FALSE))
  d <- a[[1]] / a[[2]] - a[[3]] / a[[4]]
  case(list(xT = a[[1]], nT = a[[2]], xC = a[[3]], nC = a[[4]]),
       list(z = sign(d) * sqrt(unname(r$statistic)), pValue = r$p.value,
            pLess = suppressWarnings(prop.test(c(a[[1]], a[[3]]), c(a[[2]], a[[4]]), correct = FALSE, alternative = "less"))$p.value),
       "prop.test(c(xT, xC), c(nT, nC), correct = FALSE)")
})

# wilsonInterval: prop.test(x, n, correct = FALSE)$conf.int is the Wilson interval.
wilson <- lapply(list(list(0, 10, 0.95), list(10, 10, 0.95), list(3, 20, 0.9), list(480, 500, 0.95),
                      list(1, 1, 0.95), list(7, 1000, 0.99)), function(a) {
  ci <- suppressWarnings(prop.test(a[[1]], a[[2]], conf.level = a[[3]], correct = FALSE))$conf.int
  case(list(x = a[[1]], n = a[[2]], confidence = a[[3]]), list(lower = ci[1], upper = ci[2]),
       sprintf("prop.test(%d, %d, conf.level = %g, correct = FALSE)$conf.int", a[[1]], a[[2]], a[[3]]))
})

# fisherExact: p from fisher.test; the conditional MLE re-solved on fisher.test's own construction
# (dnhyper/mnhyper) with uniroot at tol 1e-15, since fisher.test stops near 1e-4 relative.
cond_mle <- function(a, b, c, d) {
  m <- a + c; n <- b + d; k <- a + b
  lo <- max(0L, k - n); hi <- min(k, m); support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  mnhyper <- function(ncp) { l <- logdc + log(ncp) * support; w <- exp(l - max(l)); sum(support * w) / sum(w) }
  if (a == lo) return(0)
  if (a == hi) return(Inf)
  mu <- mnhyper(1)
  f <- function(t) mnhyper(exp(t)) - a
  exp(uniroot(f, c(-50, 50), tol = 1e-15, maxiter = 10000)$root)
}
fisher <- lapply(list(list(3, 1, 1, 3, "two-sided"), list(12, 488, 5, 495, "greater"), list(12, 488, 5, 495, "two-sided"),
                      list(0, 10, 3, 7, "two-sided"), list(480, 20, 9500, 500, "two-sided"), list(25, 975, 10, 990, "less"),
                      list(2, 8, 8, 2, "two-sided"), list(1, 9, 1, 9, "two-sided"), list(40, 60, 20, 80, "greater")), function(a) {
  tab <- matrix(c(a[[1]], a[[3]], a[[2]], a[[4]]), 2)
  alt <- a[[5]]
  pv <- fisher.test(tab, alternative = alt_r(alt))$p.value
  M <- a[[1]] + a[[3]]; N <- a[[2]] + a[[4]]; K <- a[[1]] + a[[2]]; x <- a[[1]]
  px <- dhyper(x, M, N, K)
  mid <- switch(alt, "less" = phyper(x - 1, M, N, K) + px / 2,
                "greater" = phyper(x, M, N, K, lower.tail = FALSE) + px / 2, pv - px / 2)
  case(list(a = a[[1]], b = a[[2]], c = a[[3]], d = a[[4]], alternative = alt),
       list(pValue = pv, midP = mid, oddsRatio = cond_mle(a[[1]], a[[2]], a[[3]], a[[4]]),
            oddsRatioR = unname(fisher.test(tab)$estimate)),
       sprintf("fisher.test(matrix(c(%d, %d, %d, %d), 2), alternative = '%s')", a[[1]], a[[3]], a[[2]], a[[4]], alt_r(alt)))
})

# poissonTest: one-sample poisson.test(x, r = expected); mid-p from dpois/ppois.
poisson_one <- lapply(list(list(0, 2.5, "two-sided"), list(10, 3.2, "two-sided"), list(10, 3.2, "greater"),
                           list(1, 7.9, "two-sided"), list(1, 7.9, "less"), list(50, 30, "two-sided"),
                           list(3, 3, "two-sided"), list(2, 3, "two-sided"), list(200, 150.5, "greater"),
                           list(5, 0.01, "two-sided")), function(a) {
  x <- a[[1]]; m <- a[[2]]; alt <- a[[3]]
  pv <- poisson.test(x, r = m, alternative = alt_r(alt))$p.value
  px <- dpois(x, m)
  mid <- switch(alt, "less" = ppois(x - 1, m) + px / 2, "greater" = ppois(x, m, lower.tail = FALSE) + px / 2, pv - px / 2)
  case(list(x = x, expected = m, alternative = alt), list(pValue = pv, midP = mid),
       sprintf("poisson.test(%d, r = %g, alternative = '%s')", x, m, alt_r(alt)))
})

garwood <- lapply(list(list(0, 0.95, 1), list(1, 0.95, 1), list(10, 0.9, 1), list(200, 0.95, 50), list(3, 0.99, 0.25)), function(a) {
  ci <- poisson.test(a[[1]], T = a[[3]], conf.level = a[[2]])$conf.int
  case(list(x = a[[1]], confidence = a[[2]], exposure = a[[3]]), list(lower = ci[1], upper = ci[2]),
       sprintf("poisson.test(%d, T = %g, conf.level = %g)$conf.int", a[[1]], a[[3]], a[[2]]))
})

rate_ratio <- lapply(list(list(12, 100, 5, 120, "two-sided"), list(0, 10, 4, 12, "two-sided"), list(30, 1000, 10, 1000, "greater"),
                          list(3, 2, 9, 2, "less"), list(150, 24, 120, 24, "two-sided")), function(a) {
  r <- poisson.test(c(a[[1]], a[[3]]), c(a[[2]], a[[4]]), alternative = alt_r(a[[5]]))
  ci <- r$conf.int
  case(list(xT = a[[1]], eT = a[[2]], xC = a[[3]], eC = a[[4]], alternative = a[[5]]),
       list(pValue = r$p.value, rateRatio = unname(r$estimate), lower = ci[1], upper = ci[2]),
       sprintf("poisson.test(c(%d, %d), c(%g, %g), alternative = '%s')", a[[1]], a[[3]], a[[2]], a[[4]], alt_r(a[[5]])))
})

mcnemar <- lapply(list(list(10, 3, "two-sided"), list(0, 5, "two-sided"), list(25, 25, "two-sided"), list(7, 1, "greater"),
                       list(40, 22, "greater")), function(a) {
  b <- a[[1]]; c <- a[[2]]
  case(list(b = b, c = c, alternative = a[[3]]),
       list(pValue = binom.test(b, b + c, 0.5, alternative = alt_r(a[[3]]))$p.value,
            statistic = unname(mcnemar.test(matrix(c(100, c, b, 100), 2), correct = FALSE)$statistic)),
       sprintf("binom.test(%d, %d, 0.5, alternative = '%s'); mcnemar.test(matrix(c(100, %d, %d, 100), 2), correct = FALSE)",
               b, b + c, alt_r(a[[3]]), c, b))
})

bh95 <- c(0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000)
shuffled <- c(0.04, 0.01, 0.04, 0.2, 0.001, 0.5, 0.03, 0.04, 1, 0)
adjust <- lapply(list(bh95, shuffled, c(0.3), c(0.02, 0.02)), function(p) {
  case(list(p = as.list(p)), list(BH = as.list(p.adjust(p, "BH")), BY = as.list(p.adjust(p, "BY")), holm = as.list(p.adjust(p, "holm"))),
       "p.adjust(p, 'BH' | 'BY' | 'holm')")
})

srm <- lapply(list(list(c(5000, 5200), c(0.5, 0.5)), list(c(1000, 1000, 1030), c(1, 1, 1)), list(c(50000, 52000), c(0.5, 0.5)),
                   list(c(9010, 990), c(0.9, 0.1)), list(c(120, 300, 580), c(0.1, 0.3, 0.6))), function(a) {
  r <- chisq.test(a[[1]], p = a[[2]], rescale.p = TRUE)
  case(list(observed = as.list(a[[1]]), expectedShares = as.list(a[[2]])),
       list(statistic = unname(r$statistic), df = unname(r$parameter), pValue = r$p.value),
       "chisq.test(observed, p = shares, rescale.p = TRUE)")
})

homogeneity <- lapply(list(
  list(rbind(c(30, 12, 5, 3), c(25, 20, 9, 1))),
  list(rbind(c(300, 120, 50), c(250, 200, 90), c(10, 5, 8))),
  list(rbind(c(400, 50, 0, 7), c(380, 90, 0, 30)), rbind(c(400, 50, 7), c(380, 90, 30))),
  list(rbind(c(5000, 100), c(5000, 300)))
), function(a) {
  r <- suppressWarnings(chisq.test(a[[length(a)]], correct = FALSE))
  case(list(table = lapply(seq_len(nrow(a[[1]])), function(i) as.list(a[[1]][i, ]))),
       list(statistic = unname(r$statistic), df = unname(r$parameter), pValue = r$p.value),
       "chisq.test(table, correct = FALSE), zero columns dropped first")
})

# fisherOddsRatioInterval: fisher.test's ncp.L / ncp.U (pnhyper on dhyper) re-solved on log(psi) at tol 1e-15.
cond_ci <- function(a, b, c, d, conf, alt) {
  m <- a + c; n <- b + d; k <- a + b
  lo <- max(0L, k - n); hi <- min(k, m); support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  tail <- function(t, upper) {
    l <- logdc + t * support; w <- exp(l - max(l))
    if (upper) sum(w[support >= a]) / sum(w) else sum(w[support <= a]) / sum(w)
  }
  alpha <- if (alt == "two-sided") (1 - conf) / 2 else 1 - conf
  lower <- if (alt == "less" || a == lo) 0 else exp(uniroot(function(t) tail(t, TRUE) - alpha, c(-60, 60), tol = 1e-15, maxiter = 10000)$root)
  upper <- if (alt == "greater" || a == hi) Inf else exp(uniroot(function(t) tail(t, FALSE) - alpha, c(-60, 60), tol = 1e-15, maxiter = 10000)$root)
  c(lower, upper)
}
fisher_ci <- lapply(list(list(3, 1, 1, 3, 0.95, "two-sided"), list(12, 488, 5, 495, 0.95, "two-sided"), list(0, 10, 3, 7, 0.95, "two-sided"),
                         list(12, 488, 5, 495, 0.95, "greater"), list(25, 975, 10, 990, 0.9, "less"), list(40, 60, 20, 80, 0.99, "two-sided"),
                         list(7, 0, 2, 5, 0.95, "two-sided")), function(a) {
  ci <- cond_ci(a[[1]], a[[2]], a[[3]], a[[4]], a[[5]], a[[6]])
  r <- fisher.test(matrix(c(a[[1]], a[[3]], a[[2]], a[[4]]), 2), conf.level = a[[5]], alternative = alt_r(a[[6]]))$conf.int
  case(list(a = a[[1]], b = a[[2]], c = a[[3]], d = a[[4]], confidence = a[[5]], alternative = a[[6]]),
       list(lower = ci[1], upper = ci[2], lowerR = r[1], upperR = r[2]),
       sprintf("fisher.test(matrix(c(%d, %d, %d, %d), 2), conf.level = %g, alternative = '%s')$conf.int, re-solved at tol 1e-15",
               a[[1]], a[[3]], a[[2]], a[[4]], a[[5]], alt_r(a[[6]])))
})

chi_upper <- lapply(list(list(0.5, 1), list(3.8414588206941236, 1), list(87.378640776699029, 1), list(500, 3), list(12.5, 7),
                        list(1e-3, 4)), function(a) {
  case(list(statistic = a[[1]], df = a[[2]]), list(p = pchisq(a[[1]], a[[2]], lower.tail = FALSE)),
       sprintf("pchisq(%.17g, %d, lower.tail = FALSE)", a[[1]], a[[2]]))
})

cat(to_json(list(chiSquareUpper = chi_upper, fisherOddsRatioInterval = fisher_ci, binomialTest = binomial, clopperPearson = clopper, clopperPearsonUpper = clopper_upper,
                 clopperPearsonLower = clopper_lower, twoProportionZ = two_prop, wilsonInterval = wilson,
                 fisherExact = fisher, poissonTest = poisson_one, garwoodInterval = garwood,
                 poissonRateRatioTest = rate_ratio, mcnemarExact = mcnemar, pAdjust = adjust,
                 srmChiSquare = srm, chiSquareHomogeneity = homogeneity)), "\n")
