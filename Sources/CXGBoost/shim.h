// XGBoost's C API (Debian: libxgboost-dev, 1.7.x), for ZoneCastForecast's boosted-trees model.
#ifndef ZONECAST_CXGBOOST_SHIM_H
#define ZONECAST_CXGBOOST_SHIM_H
#include <xgboost/c_api.h>
#endif
