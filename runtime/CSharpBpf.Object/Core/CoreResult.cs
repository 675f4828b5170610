namespace CSharpBpf.Object.Core;

/// <summary>
/// What one CO-RE relocation resolved to. <see cref="Poison"/>: the field or enumerator does not
/// exist in the target, so the instruction is replaced by an invalid call that the verifier
/// rejects only if the path is reachable (libbpf's behaviour), and <see cref="Description"/> says why.
/// <see cref="TargetFieldSize"/> is the target field's byte size for a non-bitfield field (0 otherwise),
/// so a load can be resized to what the target has.
/// </summary>
public sealed record CoreResult(ulong Value, bool Poison, uint TargetFieldSize, string Description);
