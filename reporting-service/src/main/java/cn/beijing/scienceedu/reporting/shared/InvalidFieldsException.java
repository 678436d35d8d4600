package cn.beijing.scienceedu.reporting.shared;

import java.util.List;

import cn.beijing.scienceedu.contracts.reporting.model.FieldError;

/** Bad input, one error per bad field: answered 400 with the fields in {@code errors}. */
public class InvalidFieldsException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidFieldsException(String message, List<FieldError> errors) {
        super(message);
        this.errors = errors;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
