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
        const owner = (context.static ? this : (this as object).constructor) as { name?: string } | undefined;
        if (owner?.name) spanName = `${owner.name}.${String(context.name)}`;
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

/** Decorator spelling of {@link profileFunction}: `@profiled()` or `@profiled("name")`. */
export const profiled = profileFunction;
