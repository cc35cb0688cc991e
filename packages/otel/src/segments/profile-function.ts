import type { Attributes } from "@opentelemetry/api";
import { profile } from "./profile.js";

// biome-ignore lint: any is the honest type for "a function of any signature"
type AnyFunction = (this: any, ...args: any[]) => any;

/**
 * `profileFunction(name?, attributes?)` returns a wrapper maker that works two ways:
 * - `profileFunction("parse")(fn)` wraps a plain function (sync or async); `this` and the
 *   arguments pass through, the span is named `name`, else `fn.name`, else "anonymous".
 * - `@profileFunction()` (alias `@profiled()`) decorates a class method with a TC39 standard
 *   (TypeScript 5 default, not `experimentalDecorators`) decorator; the span is named `name`,
 *   else `ClassName.method`.
 */
export function profileFunction(name?: string, attributes?: Attributes) {
  return function wrap<F extends AnyFunction>(fn: F, context?: ClassMethodDecoratorContext): F {
    if (typeof fn !== "function") throw new TypeError("profileFunction: expected a function");
    if (context && context.kind !== "method") throw new TypeError("profileFunction: only methods can be decorated");
    let spanName = name ?? (context ? String(context.name) : fn.name || "anonymous");
    if (context && name === undefined) {
      let named = false;
      context.addInitializer(function (this: unknown) {
        if (named) return;
        named = true;
        spanName = `${definingClassName(this, context, wrapped) ?? "anonymous"}.${String(context.name)}`;
      });
    }
    const wrapped = function (this: unknown, ...args: unknown[]) {
      return profile(spanName, () => fn.apply(this, args), attributes);
    };
    Object.defineProperty(wrapped, "name", { value: fn.name, configurable: true });
    Object.defineProperty(wrapped, "length", { value: fn.length, configurable: true });
    return wrapped as F;
  };
}

// The class that declares the method (not a subclass whose instance happened to be made first):
// the initializer runs per instance, so walk up to the prototype holding the wrapped method.
function definingClassName(self: unknown, context: ClassMethodDecoratorContext, wrapped: unknown): string | undefined {
  if (context.static) return (self as { name?: string }).name;
  for (let proto = Object.getPrototypeOf(self); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto, context.name) && proto[context.name] === wrapped) return proto.constructor?.name;
  }
  return (self as object).constructor?.name;
}

/** Decorator spelling of {@link profileFunction}: `@profiled()` or `@profiled("name")`. */
export const profiled = profileFunction;
