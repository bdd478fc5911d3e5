/// A Swift closure lent to the shim as a C context pointer (field processors, range
/// fields, custom stemmers). Once registered the shim owns it and calls
/// `releaseCallbackContext` when it is done; if registering fails it stays ours.
final class CallbackBox<Function> {
    let function: Function

    private init(_ function: Function) { self.function = function }

    /// The closure behind a context the shim passes back to a callback.
    static func function(_ context: UnsafeMutableRawPointer?) -> Function {
        Unmanaged<CallbackBox>.fromOpaque(context!).takeUnretainedValue().function
    }

    /// Hands `function` to `register` as a retained context, taken back if that fails.
    static func register(_ function: Function,
                         _ register: (UnsafeMutableRawPointer) throws(XapianError) -> Void) throws(XapianError) {
        let box = Unmanaged.passRetained(CallbackBox(function))
        do {
            try register(box.toOpaque())
        } catch {
            box.release()  // the shim did not take it
            throw error
        }
    }
}

/// Lets go of a `CallbackBox` of any closure type: what the shim calls to release a context.
let releaseCallbackContext: @convention(c) (UnsafeMutableRawPointer?) -> Void = { context in
    Unmanaged<AnyObject>.fromOpaque(context!).release()
}
