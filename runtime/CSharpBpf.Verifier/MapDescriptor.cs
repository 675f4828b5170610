using CSharpBpf.Object.Objects;

namespace CSharpBpf.Verifier;

/// <summary>
/// What the verifier needs to know about a map an ld_imm64 refers to. Global data sections
/// (.data/.rodata/.bss) are single-entry array maps whose value is the section.
/// </summary>
public sealed record MapDescriptor(string Name, BpfMapType Type, uint KeySize, uint ValueSize, uint MaxEntries,
    uint Flags = 0, bool IsReadOnly = false)
{
    /// <summary>For array_of_maps/hash_of_maps: the inner map a lookup yields.</summary>
    public MapDescriptor? Inner { get; init; }
}
