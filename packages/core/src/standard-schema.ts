// The Standard Schema interface (standardschema.dev), declared here instead of imported so the
// published types need no extra package. zod 4, valibot and arktype implement it.
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1
    readonly vendor: string
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>
    readonly types?: { readonly input: Input; readonly output: Output } | undefined
  }
}

export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | {
      readonly issues: ReadonlyArray<{
        readonly message: string
        readonly path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>
      }>
    }

export type InferOutput<S> = S extends StandardSchemaV1<unknown, infer O> ? O : unknown
