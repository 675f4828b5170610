namespace CSharpBpf.Verifier;

/// <summary>
/// One bpf_func_info record of the loaded program: the subprogram starting at <paramref name="InstructionIndex"/>
/// (an instruction index, not bytes) is described by the BTF FUNC <paramref name="FuncTypeId"/> of
/// <see cref="VerifierProgramSpec.Btf"/>. The FUNC's linkage decides whether the kernel verifies the function
/// inline at each call (static) or once on its own from its prototype (global).
/// </summary>
public sealed record FunctionInfoRecord(int InstructionIndex, uint FuncTypeId);
