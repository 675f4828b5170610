using Microsoft.CodeAnalysis;

#pragma warning disable RS2008 // release tracking: the ids are documented here and in INTERFACES.md

namespace CSharpBpf.Compiler.Diagnostics;

/// <summary>
/// Every diagnostic the CSharpBpf compiler, generator and analyzers report, in one place.
/// BPF0xxx: C# the BPF subset does not support. BPF1xxx: code the kernel verifier would reject.
/// BPF2xxx: the shape of programs, maps and classes (attach points, signatures).
/// Each message says what is wrong and what to do instead.
/// </summary>
public static class BpfDiagnostics
{
    private const string Unsupported = "CSharpBpf.Unsupported";
    private const string Verifier = "CSharpBpf.Verifier";
    private const string Shape = "CSharpBpf.ProgramShape";

    private static DiagnosticDescriptor Error(string id, string title, string message, string category) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    // ---- BPF0xxx: unsupported C# ----

    public static readonly DiagnosticDescriptor Allocation = Error("BPF0001", "Heap allocation in a BPF program",
        "'{0}' allocates on the managed heap, which a BPF program cannot do; use a struct local, a fixed-size buffer or a map value instead", Unsupported);

    public static readonly DiagnosticDescriptor VirtualCall = Error("BPF0002", "Virtual or interface call in a BPF program",
        "'{0}' is a virtual or interface call, which BPF cannot dispatch; call a static method (or a non-virtual struct method) instead", Unsupported);

    public static readonly DiagnosticDescriptor Exceptions = Error("BPF0003", "Exceptions in a BPF program",
        "{0} needs exceptions, which BPF does not have; return an error code instead (and use unchecked arithmetic)", Unsupported);

    public static readonly DiagnosticDescriptor StringUse = Error("BPF0004", "String in a BPF program",
        "'{0}' uses a string; BPF programs only allow a constant string as the format of Bpf.TracePrintk: use a fixed-size byte buffer instead", Unsupported);

    public static readonly DiagnosticDescriptor FloatingPoint = Error("BPF0005", "Floating point in a BPF program",
        "'{0}' uses floating point ({1}), which BPF has no instructions for; use integer or fixed-point arithmetic", Unsupported);

    public static readonly DiagnosticDescriptor Recursion = Error("BPF0006", "Recursion in a BPF program",
        "'{0}' calls itself (through {1}); BPF forbids recursion: rewrite it as a bounded loop", Unsupported);

    public static readonly DiagnosticDescriptor Linq = Error("BPF0007", "LINQ in a BPF program",
        "'{0}' is LINQ, which allocates enumerators and delegates; write a for loop instead", Unsupported);

    public static readonly DiagnosticDescriptor CapturingLambda = Error("BPF0008", "Capturing lambda or local function in a BPF program",
        "'{0}' captures '{1}'; BPF has no closures: pass it as a parameter and make the function static", Unsupported);

    public static readonly DiagnosticDescriptor Delegate = Error("BPF0009", "Delegate in a BPF program",
        "'{0}' creates a delegate, which BPF cannot call indirectly; call a static method or local function directly", Unsupported);

    public static readonly DiagnosticDescriptor Foreach = Error("BPF0010", "foreach in a BPF program",
        "foreach over '{0}' needs an enumerator; BPF programs can only foreach over a fixed-size (inline) buffer: use a for loop over the indices", Unsupported);

    public static readonly DiagnosticDescriptor StackTooLarge = Error("BPF0011", "Stack frame over 512 bytes",
        "'{0}' needs {1} bytes of stack, over BPF's 512-byte limit; keep large data in a per-CPU array map value instead of locals", Unsupported);

    public static readonly DiagnosticDescriptor UnsupportedType = Error("BPF0012", "Type not supported in a BPF program",
        "type '{0}' cannot be used here: {1}; {2}", Unsupported);

    public static readonly DiagnosticDescriptor UnsupportedOperation = Error("BPF0013", "C# construct not supported in a BPF program",
        "'{0}' ({1}) is not supported in a BPF program; rewrite it with the supported subset (integer arithmetic, structs, pointers, if/switch/loops, static calls)", Unsupported);

    public static readonly DiagnosticDescriptor UnsupportedCall = Error("BPF0014", "Call to a method a BPF program cannot call",
        "'{0}' cannot be called from a BPF program; call static methods or local functions of the program class, map methods or Bpf helpers", Unsupported);

    public static readonly DiagnosticDescriptor TracePrintkFormat = Error("BPF0015", "Non-constant trace_printk format",
        "the format '{0}' of Bpf.TracePrintk is not a constant string; use a literal or a const string (const string F = \"…\";) and pass the varying parts as the (at most three) integer arguments", Unsupported);

    public static readonly DiagnosticDescriptor UnsupportedStatic = Error("BPF0016", "Static field a BPF program cannot use",
        "static field '{0}' cannot be used by a BPF program ({1}); use a const or a static field of the program class", Unsupported);

    public static readonly DiagnosticDescriptor UnsupportedAtomic = Error("BPF0017", "Interlocked operation a BPF program cannot use",
        "'{0}' cannot be a BPF atomic: {1}; use Interlocked.Add/Increment/Decrement/Exchange/CompareExchange/And/Or on an int, uint, long or ulong in a map value, a global or a local", Unsupported);

    public static readonly DiagnosticDescriptor InternalError = Error("BPF0999", "Internal CSharpBpf compiler error",
        "the CSharpBpf compiler failed on '{0}': {1}; this is a compiler bug: please report it with this code (simplifying the construct may work around it)", Unsupported);

    // ---- BPF1xxx: code the kernel verifier would reject ----

    public static readonly DiagnosticDescriptor UnboundedUnroll = Error("BPF1001", "Loop cannot be unrolled",
        "this loop of [Unroll] method '{0}' has no compile-time constant trip count; give it constant bounds or remove [Unroll] (kernels since 5.3 verify bounded loops)", Verifier);

    public static readonly DiagnosticDescriptor NullableDereference = Error("BPF1002", "Possibly-null map value dereferenced",
        "'{0}' may be null (a map lookup returns null for a missing key) and the verifier rejects dereferencing it; test it against null first", Verifier);

    public static readonly DiagnosticDescriptor TooManyArguments = Error("BPF1003", "Too many arguments",
        "'{0}' passes {1} arguments; BPF calls take at most 5: group them in a struct and pass a pointer", Verifier);

    public static readonly DiagnosticDescriptor BackendError = Error("BPF1004", "Program cannot be compiled to verifiable eBPF",
        "{0}; rewrite the code at this location so it fits eBPF's limits", Verifier);

    // The managed verifier (CSharpBpf.Verifier) run by CSharpBpf.Analyzers on the compiled object, mapped back to C#
    // through line_info. A warning, not an error: the kernel is the authority and the managed verifier a model of it.
    public static readonly DiagnosticDescriptor VerifierRejects = new("BPF1005", "The BPF verifier would reject this program",
        "the verifier rejects program '{0}' here: {1} [{2}]; change the code at this line so every path passes the check", Verifier,
        DiagnosticSeverity.Warning, isEnabledByDefault: true);

    // ---- BPF2xxx: program, map and class shape ----

    public static readonly DiagnosticDescriptor ClassShape = Error("BPF2001", "BPF program class must be static partial",
        "class '{0}' holds BPF programs and must be declared 'static partial' (and not nested or generic) so the generator can add its skeleton", Shape);

    public static readonly DiagnosticDescriptor ProgramSignature = Error("BPF2002", "Wrong program signature",
        "program '{0}' must be 'static {1} {0}({2})'; change its signature to that", Shape);

    public static readonly DiagnosticDescriptor MapShape = Error("BPF2003", "Wrong map declaration",
        "map '{0}' {1}; declare maps as '[Map(MaxEntries = n)] static MapType<…> Name;'", Shape);

    public static readonly DiagnosticDescriptor GlobalSignature = Error("BPF2004", "Wrong [Global] function signature",
        "[Global] function '{0}' {1}; {2} (the kernel verifies a global function on its own, from its signature: at most 5 integer, enum or pointer arguments and an integer return)", Shape);

    public static readonly DiagnosticDescriptor MultipleProgramAttributes = Error("BPF2005", "Several program attributes on one method",
        "method '{0}' has several program attributes; keep exactly one (one method is one program)", Shape);

    // ---- BPF21xx: kernel-facing kinds (struct_ops, kernel types, kfuncs) — kernelkinds ----

    public static readonly DiagnosticDescriptor StructOpsShape = Error("BPF2101", "Wrong struct_ops declaration",
        "struct_ops class '{0}': {1}; correct the declaration so it matches the kernel struct in CSharpBpf.Kernel", Shape);

    public static readonly DiagnosticDescriptor StructOpsSignature = Error("BPF2102", "struct_ops method signature does not match the kernel's",
        "method '{0}' implements {1}.{2}, whose kernel signature is 'static {3} {0}({4})'; change the method to that signature", Shape);

    public static readonly DiagnosticDescriptor KernelFieldNotWritable = Error("BPF2103", "Write to a kernel field the kernel does not allow",
        "'{0}.{1}' is read-only for this program: the kernel only lets {2} write {3}; remove the write or write one of those fields", Shape);

    public static readonly DiagnosticDescriptor KernelBitfieldWrite = Error("BPF2105", "Write to a kernel bitfield",
        "'{0}.{1}' is a bitfield ({2} bit(s) at bit {3}) of a kernel type and cannot be written: {4}; remove the write", Shape);

    public static readonly DiagnosticDescriptor KernelTypeMissing = Error("BPF2104", "Kernel type not in the generated set",
        "kernel type '{0}' is not among the generated CSharpBpf.Kernel types; add it to runtime/CSharpBpf/Kernel/regenerate.sh and regenerate", Shape);
}
