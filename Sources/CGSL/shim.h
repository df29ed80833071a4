// Shim over GSL (random variates, CDFs, statistics, least squares) and the CBLAS interface.
// BLAS calls are declared through GSL's gsl_cblas.h only: OpenBLAS's own cblas.h next to GSL's
// headers fails with duplicate enum definitions. The symbols resolve to OpenBLAS at link time.
#ifndef SERVESIM_CGSL_SHIM_H
#define SERVESIM_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_sf_gamma.h>

// Swift 6 rejects C globals (shared mutable state); expose the generator types through functions.
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }

// OpenBLAS thread control (declared here to avoid including OpenBLAS's cblas.h).
extern void openblas_set_num_threads(int num_threads);
extern int openblas_get_num_threads(void);
extern char *openblas_get_config(void);

#endif
