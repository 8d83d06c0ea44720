#ifndef OMBUD_CLIBPQ_SHIM_H
#define OMBUD_CLIBPQ_SHIM_H

// pkg-config (`libpq`) supplies -I/usr/include/postgresql.
#include <libpq-fe.h>

#endif
