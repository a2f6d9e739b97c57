// The NHS number input every form uses: 10 digits with or without spaces, never autocompleted or
// spell-checked. The API checks the number itself and names this field when it is wrong.
import { TextField } from './text-field.tsx';

export function NhsNumberField({
  id,
  error,
  value,
  onChange,
}: {
  id: string;
  error?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <TextField
      id={id}
      label="NHS number"
      hint="10 digits, for example 999 000 0018"
      error={error}
      inputClassName="nhsuk-input--width-10"
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      maxLength={20}
      value={value}
      onChange={onChange}
    />
  );
}
