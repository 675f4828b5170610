namespace CSharpBpf.Vm;

/// <summary>Which engine runs a program. Both have one observable behaviour.</summary>
public enum ExecutionEngine
{
    Interpreter,
    /// <summary>eBPF translated to IL (DynamicMethod), compiled to native code by the .NET JIT.</summary>
    Jit,
}
