/*
 * The Natural Earth projection (Šavrič, Jenny, Patterson, Petrovič and
 * Hurni, 2011): pseudo-cylindrical, closed formulas, the shape readers know
 * from world maps, with the poles as lines rather than points.  x and y are
 * in units of the earth's radius; x spans about +-2.7354, y +-1.4224.
 */
#ifndef TSA_PLOT_PROJ_H
#define TSA_PLOT_PROJ_H

void proj_natural_earth(double lon_deg, double lat_deg, double *x, double *y);

#endif
