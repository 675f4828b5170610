using CSharpBpf.Compiler.Diagnostics;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>One program of a compiled class, as the skeleton describes it.</summary>
public sealed record ProgramDescription(string Name, string Section, string Kind, int InstructionCount);

/// <summary>One map of a compiled class; key and value types are fully qualified C# names ("" when the map has none).</summary>
public sealed record MapDescription(string Name, string MapType, string KeyType, string ValueType, int MaxEntries, uint Flags);

/// <summary>
/// The result of compiling one BPF class: an equatable value (no Roslyn objects) so the incremental
/// generator can cache it and skip re-emitting when nothing changed. <see cref="Object"/> is the
/// ELF object (empty when there were errors).
/// </summary>
public sealed record CompiledBpfClass(
    string Namespace,
    string ClassName,
    string Accessibility,
    EquatableArray<byte> Object,
    EquatableArray<ProgramDescription> Programs,
    EquatableArray<MapDescription> Maps,
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    public bool HasErrors => Diagnostics.Count > 0;
}
