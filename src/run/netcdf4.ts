/**
 * A small netCDF-4 writer: groups of named dimensions, coordinate variables and data variables in
 * an HDF5 file written by h5wasm (the HDF5 C library compiled to WebAssembly), laid out as the
 * netCDF-C library does ("NetCDF-4 Format", netCDF User's Guide: "the netCDF-4 format implements
 * the netCDF data model on top of HDF5"; HDF5 Dimension Scales specification):
 *
 * - a netCDF group is an HDF5 group (link and attribute creation order tracked, as netCDF-C makes them);
 * - a dimension is an HDF5 dimension scale: here always its coordinate variable, a 1-d dataset named
 *   like the dimension with `CLASS = "DIMENSION_SCALE"` and `NAME` = its name (H5DSset_scale). Every
 *   dimension gets coordinate values (ArviZ gives every dimension one too: integers 0..n-1 when there
 *   are no labels), so no "This is a netCDF dimension but not a netCDF variable." scales are needed;
 * - a variable's dimensions are its `DIMENSION_LIST` (H5DSattach_scale per axis, which also writes the
 *   scale's `REFERENCE_LIST`): that is how netCDF-C, netCDF4-python, h5netcdf and xarray name them;
 * - text attributes are fixed-length ASCII strings (netCDF's NC_CHAR; variable-length UTF-8 when
 *   empty or not ASCII), numbers are float64 (integers int64), all 1-element like netCDF-C's;
 * - string coordinates (geo, channel, dates) are variable-length UTF-8 strings, netCDF-4's NC_STRING,
 *   which netCDF4-python and xarray read as str;
 * - booleans are int8 with the attribute `dtype = "bool"`, which xarray decodes to bool (its own encoding).
 *
 * The file is readable by HDF5 1.10 and later (library version bounds earliest..v110), so by the
 * netCDF-C builds of current Linux distributions. Written to `<path>.partial` and renamed, so a
 * failed write leaves no half file.
 */
import { renameSync, rmSync } from 'node:fs';
import type { Dataset, Group, File as H5File } from 'h5wasm';

export type NcValues = Float64Array | Float32Array | Int32Array | Int8Array | BigInt64Array;
/** An attribute value: text, a number (float64; integers int64). */
export type NcAttribute = string | number;
export type NcAttributes = Readonly<Record<string, NcAttribute>>;

/** A dimension with its coordinate values (labels or numbers). */
export interface NcDimension {
  readonly name: string;
  readonly values: readonly string[] | Float64Array | BigInt64Array;
  readonly attrs?: NcAttributes;
}

/** A variable over named dimensions; `values` row-major over `dims`. */
export interface NcVariable {
  readonly name: string;
  readonly dims: readonly string[];
  readonly values: NcValues;
  readonly attrs?: NcAttributes;
}

export interface NcGroup {
  readonly name: string;
  readonly dimensions: readonly NcDimension[];
  readonly variables: readonly NcVariable[];
  readonly attrs?: NcAttributes;
}

export interface NcFile {
  readonly attrs?: NcAttributes;
  readonly groups: readonly NcGroup[];
}

type H5wasm = typeof import('h5wasm').default;
let loaded: Promise<H5wasm> | undefined;

/** h5wasm's Node build, loaded (and its WebAssembly instantiated) on first use. */
function h5wasm(): Promise<H5wasm> {
  loaded ??= import('h5wasm/node').then(async (module) => {
    await module.default.ready;
    return module.default;
  });
  return loaded;
}

function dimensionLength(dimension: NcDimension): number {
  return dimension.values.length;
}

/** Errors for names, sizes and dimensions, before anything is written. */
export function checkNetcdf(file: NcFile): void {
  const validName = (name: string) => name.length > 0 && !name.includes('/') && name === name.trim();
  const seenGroups = new Set<string>();
  for (const group of file.groups) {
    if (!validName(group.name)) throw new Error(`netCDF: bad group name "${group.name}"`);
    if (seenGroups.has(group.name)) throw new Error(`netCDF: group "${group.name}" twice`);
    seenGroups.add(group.name);
    const lengths = new Map<string, number>();
    for (const dimension of group.dimensions) {
      if (!validName(dimension.name)) throw new Error(`netCDF group ${group.name}: bad dimension name "${dimension.name}"`);
      if (lengths.has(dimension.name)) throw new Error(`netCDF group ${group.name}: dimension "${dimension.name}" twice`);
      if (dimensionLength(dimension) === 0) throw new Error(`netCDF group ${group.name}: dimension "${dimension.name}" is empty`);
      lengths.set(dimension.name, dimensionLength(dimension));
    }
    const names = new Set(lengths.keys());
    for (const variable of group.variables) {
      const where = `netCDF group ${group.name}, variable "${variable.name}"`;
      if (!validName(variable.name)) throw new Error(`netCDF group ${group.name}: bad variable name "${variable.name}"`);
      if (names.has(variable.name)) throw new Error(`${where}: the name is taken by a dimension or another variable`);
      names.add(variable.name);
      let size = 1;
      for (const dim of variable.dims) {
        const length = lengths.get(dim);
        if (length === undefined) throw new Error(`${where}: no dimension "${dim}"`);
        size *= length;
      }
      if (new Set(variable.dims).size !== variable.dims.length) throw new Error(`${where}: a dimension twice in (${variable.dims.join(', ')})`);
      if (variable.values.length !== size) throw new Error(`${where}: ${variable.values.length} values for dimensions (${variable.dims.join(', ')}) of ${size}`);
    }
  }
}

function isAscii(text: string): boolean {
  return /^[\x20-\x7e\t\n\r]*$/.test(text);
}

function writeAttributes(target: Group | Dataset, attrs: NcAttributes | undefined): void {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (typeof value === 'string') {
      if (value.length > 0 && isAscii(value)) target.create_attribute(name, value, null, `A${value.length}`);
      else target.create_attribute(name, [value], [1], 'S');
    } else if (Number.isSafeInteger(value)) {
      target.create_attribute(name, BigInt64Array.of(BigInt(value)), [1]);
    } else {
      target.create_attribute(name, Float64Array.of(value), [1]);
    }
  }
}

function writeGroup(file: H5File, spec: NcGroup): void {
  const group = file.create_group(spec.name, true);
  writeAttributes(group, spec.attrs);
  for (const dimension of spec.dimensions) {
    const values = dimension.values;
    const dataset = Array.isArray(values)
      ? group.create_dataset({ name: dimension.name, data: [...values], shape: [values.length], dtype: 'S', track_order: true })
      : group.create_dataset({ name: dimension.name, data: values as Float64Array | BigInt64Array, shape: [values.length], track_order: true });
    dataset.make_scale(dimension.name);
    writeAttributes(dataset, dimension.attrs);
  }
  for (const variable of spec.variables) {
    const dataset = group.create_dataset({ name: variable.name, data: variable.values, shape: variable.dims.map((dim) => dimensionLengthIn(spec, dim)), track_order: true });
    variable.dims.forEach((dim, axis) => dataset.attach_scale(axis, `/${spec.name}/${dim}`));
    writeAttributes(dataset, variable.attrs);
  }
}

function dimensionLengthIn(group: NcGroup, name: string): number {
  return dimensionLength(group.dimensions.find((d) => d.name === name) as NcDimension);
}

/** Write `file` as a netCDF-4 file at `path` (replacing it). */
export async function writeNetcdf4(path: string, file: NcFile): Promise<void> {
  checkNetcdf(file);
  const { File } = await h5wasm();
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  let h5: H5File | undefined;
  try {
    h5 = new File(partial, 'w', { track_order: true, libver: ['earliest', 'v110'] });
    writeAttributes(h5, file.attrs);
    for (const group of file.groups) writeGroup(h5, group);
    h5.close();
    h5 = undefined;
    renameSync(partial, path);
  } catch (error) {
    h5?.close();
    rmSync(partial, { force: true });
    throw error;
  }
}
