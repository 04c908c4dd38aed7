using Theon.Ops;

namespace Theon.Backends.Cuda.Codegen;

/// <summary>The operands of one scalar op as C expressions, already converted to <see cref="OperandType"/>.</summary>
public sealed record ScalarOperands(IReadOnlyList<string> Args, DType OperandType, DType OutputType)
{
    public string this[int i] => Args[i];

    /// <summary>The C function for a float op: expf for float32, exp for float64.</summary>
    public string Math(string name) => OperandType == DType.Float32 ? name + "f" : name;

    public string Type => CudaTypes.Of(OperandType);
}

/// <summary>
/// tinygrad's <c>code_for_op</c> for CUDA C: one row per <see cref="ScalarOp"/> record, giving the expression and the
/// type its operands are converted to first (numpy's rules: the output type, except where noted).
/// </summary>
public static class ScalarCode
{
    private delegate string Render(ScalarOperands x);

    private sealed record Row(Render Render, Func<IReadOnlyList<DType>, DType, DType>? OperandType = null);

    // NaN propagates through maximum/minimum as in numpy: the comparison picks a when a is NaN, b when b is.
    private static readonly Dictionary<Type, Row> Rows = new()
    {
        [typeof(Add)] = new(x => $"({string.Join(" + ", x.Args)})"),
        [typeof(Sub)] = new(x => $"({x[0]} - {x[1]})"),
        [typeof(Mul)] = new(x => x.OutputType.IsBool ? $"({string.Join(" && ", x.Args)})"
            : $"({string.Join(" * ", x.Args)})"),
        // Two integers divide in float64 whatever floatX is, as the reference does (Theano's TrueDiv).
        [typeof(TrueDiv)] = new(x => $"({x[0]} / {x[1]})",
            (inputs, output) => inputs.Any(t => t.IsFloat) ? output : DType.Float64),
        [typeof(Neg)] = new(x => $"(-{x[0]})"),
        [typeof(Pow)] = new(x => x.OperandType.IsFloat ? $"{x.Math("pow")}({x[0]}, {x[1]})"
            : $"theon_ipow({x[0]}, {x[1]})"),
        [typeof(Abs)] = new(x => x.OperandType.IsFloat ? $"{x.Math("fabs")}({x[0]})"
            : $"({x[0]} < 0 ? -{x[0]} : {x[0]})"),
        [typeof(Sgn)] = new(x => $"(({x.Type})(({x[0]} > 0) - ({x[0]} < 0)))"),
        [typeof(Sqr)] = new(x => $"({x[0]} * {x[0]})"),
        [typeof(Maximum)] = new(x => $"(({x[0]} != {x[0]} || {x[0]} > {x[1]}) ? {x[0]} : {x[1]})"),
        [typeof(Minimum)] = new(x => $"(({x[0]} != {x[0]} || {x[0]} < {x[1]}) ? {x[0]} : {x[1]})"),
        [typeof(Clip)] = new(x =>
            $"theon_minimum(theon_maximum({x[0]}, {x[1]}), {x[2]})"),
        [typeof(Second)] = new(x => x[1], (inputs, output) => output),
        [typeof(Cast)] = new(x => x[0], (inputs, output) => output),
        [typeof(Compare)] = new(_ => throw new InvalidOperationException("comparisons render by kind"),
            (inputs, _) => DType.Upcast([.. inputs])),
        [typeof(Switch)] = new(x => $"({x[0]} ? {x[1]} : {x[2]})"),
        [typeof(Exp)] = new(x => $"{x.Math("exp")}({x[0]})"),
        [typeof(Log)] = new(x => $"{x.Math("log")}({x[0]})"),
        [typeof(Log1p)] = new(x => $"{x.Math("log1p")}({x[0]})"),
        [typeof(Sqrt)] = new(x => $"{x.Math("sqrt")}({x[0]})"),
        [typeof(Tanh)] = new(x => $"{x.Math("tanh")}({x[0]})"),
        [typeof(Sin)] = new(x => $"{x.Math("sin")}({x[0]})"),
        [typeof(Cos)] = new(x => $"{x.Math("cos")}({x[0]})"),
        [typeof(Tan)] = new(x => $"{x.Math("tan")}({x[0]})"),
        [typeof(Arcsin)] = new(x => $"{x.Math("asin")}({x[0]})"),
        [typeof(Arccos)] = new(x => $"{x.Math("acos")}({x[0]})"),
        [typeof(Arctan)] = new(x => $"{x.Math("atan")}({x[0]})"),
        [typeof(Sinh)] = new(x => $"{x.Math("sinh")}({x[0]})"),
        [typeof(Cosh)] = new(x => $"{x.Math("cosh")}({x[0]})"),
        [typeof(Arcsinh)] = new(x => $"{x.Math("asinh")}({x[0]})"),
        [typeof(Arccosh)] = new(x => $"{x.Math("acosh")}({x[0]})"),
        [typeof(Arctanh)] = new(x => $"{x.Math("atanh")}({x[0]})"),
        [typeof(Exp2)] = new(x => $"{x.Math("exp2")}({x[0]})"),
        [typeof(Expm1)] = new(x => $"{x.Math("expm1")}({x[0]})"),
        [typeof(Log2)] = new(x => $"{x.Math("log2")}({x[0]})"),
        [typeof(Log10)] = new(x => $"{x.Math("log10")}({x[0]})"),
        [typeof(Inv)] = new(x => $"(({x.Type})1 / {x[0]})"),
        [typeof(Sigmoid)] = new(x => $"theon_sigmoid({x[0]})"),
        [typeof(Softplus)] = new(x => $"theon_softplus({x[0]})"),
        [typeof(UltraFastSigmoid)] = new(x => $"theon_ultra_fast_sigmoid({x[0]})"),
        [typeof(Erf)] = new(x => $"{x.Math("erf")}({x[0]})"),
        [typeof(Erfc)] = new(x => $"{x.Math("erfc")}({x[0]})"),
        [typeof(Erfinv)] = new(x => $"(({x.Type})theon_erfinv((double)({x[0]})))"),
        [typeof(Gamma)] = new(x => $"{x.Math("tgamma")}({x[0]})"),
        [typeof(GammaLn)] = new(x => $"{x.Math("lgamma")}({x[0]})"),
        [typeof(Psi)] = new(x => $"(({x.Type})theon_psi((double)({x[0]})))"),
        [typeof(Relu)] = new(x => $"(({x[0]} != {x[0]} || {x[0]} > 0) ? {x[0]} : {CudaTypes.Zero(x.OperandType)})"),
        [typeof(Ceil)] = new(x => $"{x.Math("ceil")}({x[0]})"),
        [typeof(Floor)] = new(x => $"{x.Math("floor")}({x[0]})"),
        [typeof(And)] = new(x => $"({x[0]} & {x[1]})"),
        [typeof(Or)] = new(x => $"({x[0]} | {x[1]})"),
        [typeof(Xor)] = new(x => $"({x[0]} ^ {x[1]})"),
        [typeof(Invert)] = new(x => x.OutputType.IsBool ? $"(!{x[0]})" : $"(~{x[0]})"),
        [typeof(Mod)] = new(x => $"theon_mod({x[0]}, {x[1]})"),
        [typeof(IntDiv)] = new(x => $"theon_floordiv({x[0]}, {x[1]})"),
        [typeof(Arctan2)] = new(x => $"{x.Math("atan2")}({x[0]}, {x[1]})"),
        [typeof(RoundHalfToEven)] = new(x => $"{x.Math("rint")}({x[0]})"),
        [typeof(RoundHalfAwayFromZero)] = new(x => $"{x.Math("round")}({x[0]})"),
        [typeof(Trunc)] = new(x => $"{x.Math("trunc")}({x[0]})"),
        [typeof(Deg2Rad)] = new(x => $"({x[0]} * {CudaTypes.Literal(NDArray.Scalar(Math.PI / 180, x.OperandType))})"),
        [typeof(Rad2Deg)] = new(x => $"({x[0]} * {CudaTypes.Literal(NDArray.Scalar(180 / Math.PI, x.OperandType))})"),
        // Operands keep their type; integers are never NaN or infinite.
        [typeof(IsNan)] = new(x => x.OperandType.IsFloat ? $"isnan({x[0]})" : "false", (inputs, _) => inputs[0]),
        [typeof(IsInf)] = new(x => x.OperandType.IsFloat ? $"isinf({x[0]})" : "false", (inputs, _) => inputs[0]),
    };

    private static readonly Dictionary<string, string> Comparisons = new()
    {
        ["lt"] = "<", ["gt"] = ">", ["le"] = "<=", ["ge"] = ">=", ["eq"] = "==", ["neq"] = "!=",
    };

    /// <summary>Every scalar op type the CUDA renderer knows.</summary>
    public static IReadOnlyCollection<Type> Supported => Rows.Keys;

    public static bool Supports(ScalarOp op) => Rows.ContainsKey(op.GetType());

    /// <summary>
    /// The type the operands of <paramref name="op"/> are converted to before its expression applies.
    /// </summary>
    public static DType OperandType(ScalarOp op, IReadOnlyList<DType> inputs, DType output)
    {
        if (op is Switch) return output;
        return Find(op).OperandType?.Invoke(inputs, output) ?? output;
    }

    /// <summary>The C expression of <paramref name="op"/> on operand expressions of the given dtypes.</summary>
    public static string Expression(ScalarOp op, IReadOnlyList<string> args, IReadOnlyList<DType> inputTypes)
    {
        var output = op.OutputDType(inputTypes);
        var operandType = OperandType(op, inputTypes, output);
        var converted = args.Select((a, i) => op switch
        {
            Switch when i == 0 => CudaTypes.Convert(a, inputTypes[0], DType.Bool),
            Cast => a,
            Second when i == 0 => a,
            _ => CudaTypes.Convert(a, inputTypes[i], operandType),
        }).ToArray();
        if (op is Cast cast) return CudaTypes.Convert(converted[0], inputTypes[0], cast.To);
        if (op is Compare compare) return $"({converted[0]} {Comparisons[compare.Kind]} {converted[1]})";
        return Find(op).Render(new ScalarOperands(converted, operandType, output));
    }

    private static Row Find(ScalarOp op) => Rows.TryGetValue(op.GetType(), out var row)
        ? row
        : throw new NotSupportedException($"the CUDA renderer has no code for the scalar op {op.Name} " +
            $"({op.GetType().Name}).");

    /// <summary>Device helpers that the expressions above call, put at the top of every generated module.</summary>
    public const string Prelude = """
        template <typename T> struct alignas(4 * sizeof(T)) theon_pack { T v[4]; };
        template <typename T> __device__ __forceinline__ T theon_maximum(T a, T b) { return (a != a || a > b) ? a : b; }
        template <typename T> __device__ __forceinline__ T theon_minimum(T a, T b) { return (a != a || a < b) ? a : b; }
        template <typename T> __device__ __forceinline__ T theon_ipow(T base, T exponent)
        {
            T result = 1;
            if (exponent < 0) return base == 1 ? 1 : (base == -1 ? ((exponent & 1) ? -1 : 1) : 0);
            while (exponent > 0) { if (exponent & 1) result *= base; base *= base; exponent >>= 1; }
            return result;
        }
        template <typename T> __device__ __forceinline__ T theon_mod(T a, T b)
        {
            if (b == 0 || (b < 0 && b == (T)-1)) return 0;
            T r = a % b;
            return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
        }
        __device__ __forceinline__ float theon_mod(float a, float b)
        {
            float r = fmodf(a, b);
            return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
        }
        __device__ __forceinline__ double theon_mod(double a, double b)
        {
            double r = fmod(a, b);
            return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
        }
        template <typename T> __device__ __forceinline__ T theon_floordiv(T a, T b)
        {
            if (b == 0) return 0;
            if (b < 0 && b == (T)-1) return (T)(0ULL - (unsigned long long)a);
            T q = a / b;
            return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
        }
        __device__ __forceinline__ float theon_floordiv(float a, float b)
        {
            if (b == 0) return a / b;
            float m = fmodf(a, b), d = (a - m) / b;
            if (m != 0 && ((b < 0) != (m < 0))) d -= 1;
            if (d == 0) return copysignf(0.0f, a / b);
            float f = floorf(d);
            return d - f > 0.5f ? f + 1 : f;
        }
        __device__ __forceinline__ double theon_floordiv(double a, double b)
        {
            if (b == 0) return a / b;
            double m = fmod(a, b), d = (a - m) / b;
            if (m != 0 && ((b < 0) != (m < 0))) d -= 1;
            if (d == 0) return copysign(0.0, a / b);
            double f = floor(d);
            return d - f > 0.5 ? f + 1 : f;
        }
        __device__ __forceinline__ float theon_sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }
        __device__ __forceinline__ double theon_sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }
        __device__ __forceinline__ float theon_softplus(float x) { return x > 0.0f ? x + log1pf(expf(-x))
            : log1pf(expf(x)); }
        __device__ __forceinline__ double theon_softplus(double x) { return x > 0.0 ? x + log1p(exp(-x))
            : log1p(exp(x)); }
        template <typename T> __device__ __forceinline__ T theon_ultra_fast_sigmoid(T x) {
            T h = (T)0.5 * x;
            T a = h < (T)0 ? -h : h;
            T z = a < (T)1.7 ? (T)1.5 * a / ((T)1 + a)
                : a < (T)3 ? (T)0.935409070603099 + (T)0.0458812946797165 * (a - (T)1.7) : (T)0.99505475368673;
            return x != x ? x : (T)0.5 * ((x < (T)0 ? -z : z) + (T)1); }
        __device__ __forceinline__ double theon_erfinv(double y) {
            if (y != y || y < -1.0 || y > 1.0) return __longlong_as_double(0x7ff8000000000000ULL);
            if (y == 1.0 || y == -1.0) return y * __longlong_as_double(0x7ff0000000000000ULL);
            double s = y < 0.0 ? -1.0 : 1.0, a = y * s, w = -log((1.0 - a) * (1.0 + a));
            double x = w < 5.0 ? sqrt(w) * 0.8 + a * 0.1 : sqrt(w - log(w)) * 0.95;
            for (int i = 0; i < 100; i++) {
                double r = a < 0.5 ? erf(x) - a : (1.0 - a) - erfc(x);
                double step = r / (1.1283791670955126 * exp(-x * x));
                double next = x - step / (1.0 + x * step);
                if (fabs(next - x) <= 1e-16 * fabs(next)) { x = next; break; }
                x = next;
            }
            return s * x; }
        __device__ __forceinline__ double theon_psi(double x) {
            if (x != x || (x <= 0.0 && x == floor(x))) return __longlong_as_double(0x7ff8000000000000ULL);
            double reflection = 0.0;
            if (x < 0.0) { reflection = -3.141592653589793 / tan(3.141592653589793 * x); x = 1.0 - x; }
            double shift = 0.0;
            while (x < 10.0) { shift -= 1.0 / x; x += 1.0; }
            double v = 1.0 / (x * x);
            double series = v * (1.0 / 12 - v * (1.0 / 120 - v * (1.0 / 252 - v * (1.0 / 240 - v * (1.0 / 132
                - v * (691.0 / 32760 - v / 12))))));
            return reflection + shift + log(x) - 0.5 / x - series; }
        """;
}
