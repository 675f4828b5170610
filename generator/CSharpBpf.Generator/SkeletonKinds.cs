using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using CSharpBpf.Compiler.Frontend;

namespace CSharpBpf.Generator;

/// <summary>
/// What the entry-point writers need to know per program kind and map type: which runtime handle
/// wraps it, and how it attaches. Kinds are the program attribute names the compiler records
/// (<see cref="ProgramDescription.Kind"/>); map types are <see cref="MapDescription.MapType"/>.
/// </summary>
internal static class SkeletonKinds
{
    private const string Vm = "global::CSharpBpf.Vm.Host.";
    private const string Kernel = "global::CSharpBpf.Linux.Skeleton.";

    public static bool IsCgroup(ProgramDescription p) => p.Kind is "CgroupSkb" or "SockOps" or "CgroupSysctl" or "CgroupSockopt";

    public static bool IsTracing(ProgramDescription p) => p.Kind is "RawTracepoint" or "TpBtf" or "Fentry" or "Fexit";

    public static bool IsExtension(ProgramDescription p) => p.Kind == "Extension" && p.Section.StartsWith("freplace/", StringComparison.Ordinal);

    /// <summary>The global function an extension replaces ("freplace/&lt;function&gt;").</summary>
    public static string ReplacedFunction(ProgramDescription p) => p.Section.Substring("freplace/".Length);

    public static string VmHandle(ProgramDescription p) => Vm + p.Kind switch
    {
        "Xdp" => "VmXdpProgram",
        "SocketFilter" or "SchedCls" or "CgroupSkb" => "VmSkbProgram",
        "SockOps" => "VmSockOpsProgram",
        "CgroupSysctl" => "VmSysctlProgram",
        "CgroupSockopt" => "VmSockoptProgram",
        "StructOps" or "RawTracepoint" or "TpBtf" or "Fentry" or "Fexit" => "VmArgsProgram",
        _ when IsExtension(p) => "VmExtensionProgram",
        _ => "VmProgramHandle",
    };

    public static string KernelHandle(ProgramDescription p) => Kernel + (p.Kind switch
    {
        "Xdp" => "KernelXdpProgram",
        "SocketFilter" => "KernelSocketFilterProgram",
        "SchedCls" => "KernelTcProgram",
        _ when IsCgroup(p) => "KernelCgroupProgram",
        _ when IsTracing(p) => "KernelTracingProgram",
        _ when IsExtension(p) => "KernelExtensionProgram",
        _ => "KernelProgramHandle",
    });

    /// <summary>Array and hash maps (shared or per-CPU) whose key and value types the compiler recorded: typed accessors.</summary>
    public static bool IsTyped(MapDescription m) =>
        m.KeyType.Length > 0 && m.ValueType.Length > 0 &&
        m.MapType is "Array" or "PercpuArray" or "Hash" or "PercpuHash" or "LruHash" or "LruPercpuHash";

    /// <summary>The VM accessor type: typed for array/hash maps, else the VM's own class for that map type.</summary>
    public static string VmMapType(MapDescription m) => IsTyped(m)
        ? $"{Vm}VmMap<{m.KeyType}, {m.ValueType}>"
        : "global::CSharpBpf.Vm.Maps." + m.MapType switch
        {
            "Ringbuf" => "RingBufMap",
            "ProgArray" => "ProgArrayMap",
            "SkStorage" => "SkStorageMap",
            "DevmapHash" => "DevmapHashMap",
            "Array" or "PercpuArray" => "ArrayMap",
            "Hash" or "PercpuHash" or "LruHash" or "LruPercpuHash" => "HashMap",
            _ => "BpfMap",
        };

    public static string KernelMapType(MapDescription m) => IsTyped(m)
        ? $"{Kernel}KernelMap<{m.KeyType}, {m.ValueType}>"
        : "global::CSharpBpf.Linux.Maps.BpfMap";

    /// <summary>A member name as C# source (keywords get '@').</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    public static string Literal(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>The struct_ops variables of the object (e.g. "csreno"), read from its ELF; none when it cannot be read.</summary>
    public static IReadOnlyList<string> StructOpsNames(CompiledBpfClass c)
    {
        if (!c.Programs.Any(p => p.Kind == "StructOps")) return Array.Empty<string>();
        try
        {
            return CSharpBpf.Object.Objects.BpfObjectFile.Read(c.Object.AsArray()).StructOps.Select(s => s.Name).ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Array.Empty<string>();
        }
    }
}
