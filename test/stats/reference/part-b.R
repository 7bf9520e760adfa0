# Reference values from R for stats part B. Run from the repository root by part-b.py:
#   Rscript test/stats/reference/part-b.R <folder with the .tsv inputs written by part-b.py>
# Prints one JSON object (no jsonlite on the reference machine, so it is written by hand).
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
num <- function(x) paste0("[", paste(sprintf("%.17g", x), collapse = ", "), "]")
out <- list()

# Power (section 7): power.prop.test at tol 1e-12 (statistics.md section 11).
out$powerPropN <- power.prop.test(p1 = 0.95, p2 = 0.94, power = 0.8, sig.level = 0.05, tol = 1e-12)$n
out$powerPropP2 <- power.prop.test(n = 20000, p1 = 0.05, power = 0.8, sig.level = 0.05, tol = 1e-12)$p2
out$powerPropP2Small <- power.prop.test(n = 1500, p1 = 0.2, power = 0.9, sig.level = 0.01, tol = 1e-12)$p2

# Exact binomial power: critical count and power for n = 200, p0 = 0.01, p1 = 0.04, alpha = 0.05.
crit <- qbinom(1 - 0.05, 200, 0.01) + 1
out$exactCritical <- crit
out$exactSize <- pbinom(crit - 1, 200, 0.01, lower.tail = FALSE)
out$exactPower <- pbinom(crit - 1, 200, 0.04, lower.tail = FALSE)

# Overdispersion (section 1.2): 10 windows, constant mean.
od <- read.table(file.path(dir, "overdispersion.tsv"), header = TRUE)
fit <- glm(cbind(x, n - x) ~ 1, family = quasibinomial, data = od, control = glm.control(epsilon = 1e-15, maxit = 100))
out$odPhi <- summary(fit)$dispersion
mu <- sum(od$x) / sum(od$n)
v <- mu * (1 - mu) / od$n
r <- (od$x / od$n - mu) / sqrt(v)
out$odMadScaled <- mad(r)
out$odTau2Robust <- max(0, mad(r)^2 - 1) * median(v)
# Two fitted parameters: quasibinomial with a linear time term.
fit2 <- glm(cbind(x, n - x) ~ t, family = quasibinomial, data = od, control = glm.control(epsilon = 1e-15, maxit = 100))
out$odPhiTrend <- summary(fit2)$dispersion
out$odMuTrend <- unname(fitted(fit2))

# Logit trend with offset (section 1.1).
tr <- read.table(file.path(dir, "trend.tsv"), header = TRUE)
tBar <- sum(tr$n * tr$t) / sum(tr$n)
g <- glm(cbind(x, n - x) ~ I(t - tBar) + offset(offset), family = binomial, data = tr,
         control = glm.control(epsilon = 1e-15, maxit = 100))
out$trendCoef <- unname(coef(g))
out$trendCov <- as.vector(vcov(g))
out$trendTBar <- tBar

# Mann-Whitney on expanded bin indices (section 6.2).
hs <- read.table(file.path(dir, "histograms.tsv"), header = TRUE)
xt <- rep(seq_along(hs$t), hs$t)
xc <- rep(seq_along(hs$c), hs$c)
w <- suppressWarnings(wilcox.test(xt, xc, exact = FALSE, correct = FALSE))
out$mwU <- unname(w$statistic)
out$mwP <- w$p.value

cat("{", paste(sprintf('"%s": %s', names(out), sapply(out, num)), collapse = ", "), "}\n")
